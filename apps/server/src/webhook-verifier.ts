// The webhook verifier `sluice start` mounts: the trigger's HMAC secret is a credential of the
// vault, checked inside it; verified deliveries are remembered in the database against replays.
import { type CredentialVaultService, type Database, rememberWebhookDelivery } from '@sluice/db';
import { hmacSha256Verifier, type VerifyWebhook } from './hooks';

/**
 * @example
 * app.route('/hooks', webhookRoutes({ engine, verifyWebhook: vaultWebhookVerifier({ db, vault }) }));
 */
export function vaultWebhookVerifier(options: {
  db: Pick<Database, 'prisma'>;
  vault: CredentialVaultService;
  now?: () => number;
}): VerifyWebhook {
  return hmacSha256Verifier({
    withSecret: (target, check) =>
      options.vault.verifyWithCredential(
        {
          workspaceId: target.workspaceId,
          workflowId: target.workflowId,
          workflowVersionId: target.workflowVersionId,
          nodeId: target.triggerNodeId,
          name: target.trigger.secret,
        },
        check,
      ),
    remember: (delivery) => rememberWebhookDelivery(options.db.prisma, delivery),
    ...(options.now ? { now: options.now } : {}),
  });
}

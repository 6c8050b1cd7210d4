// The approval router: the reviewer's inbox, one review or task in detail, deciding at a gate and
// answering a human task; and the workspace's notification webhook. The logic is in ../approvals.
//
// For clients (the approvals UI):
// - `list({ kind?, status = 'open', workflowId?, mine = false, limit })` → items newest first:
//   `{ runId, nodeId, kind, status, title, label, workflow: { id, name, version }, runStatus,
//   initiatedById, payloadHash, createdAt, expiresAt, resolvedAt, mayDecide, why, approvals?, quorum? }`.
// - `get({ runId, nodeId })` → the same plus `payload` (exactly what is reviewed; for a gate
//   `{ summary, shown: [{ label, value }], input }`, for a task `{ title, instructions, form, input }`),
//   `previous` (`{ attempt, payload, payloadHash }` of the attempt a rerun replaced, opened like
//   `payload`, to diff against; null when the step was reached once),
//   `findings` (the validators' findings upstream), and `gate` (`rule` that sent it to review,
//   current `approvers`, `quorum`, `separationOfDuties`, `expiry`, `escalated`, `outcome`, `decisions`
//   with who, how, what, when and whether on this payload) or `task` (`role`, `assignees`, `form`,
//   `dueAt`, `answeredBy`, `answeredAt`).
// - `decide({ runId, nodeId, verdict: 'approve' | 'reject', comment, payloadHash })`: send the
//   `payloadHash` you showed; a comment is required to reject. → `{ status: 'approved' | 'rejected' |
//   'recorded', approvals, quorum }`. Refusals: CONFLICT (already decided, the data changed, you
//   already voted), FORBIDDEN (separation of duties, not an approver: the message says why),
//   BAD_REQUEST (no reason given).
// - `answer({ runId, nodeId, answer, payloadHash })`: the answer must fit the task's form.
// - `webhook()` / `setWebhook({ url | null })`: the workspace's Slack-compatible webhook, shown masked.
import { permitted } from '../init';
import { audit } from '../audit-log';
import { maskWebhookUrl, WebhookUrl } from '../approvals/notifications';
import { AnswerInput, answer, DecideInput, decide } from '../approvals/decisions';
import { detail, inbox, InboxInput } from '../approvals/inbox';
import { WaitRef } from '../approvals/waits';
import { assertWholeWorkspace, requireUser } from '../scope';
import { z } from 'zod';

export const approvalRouter = {
  /** What waits for people in this workspace, newest first; `mine` keeps what I may decide now. */
  list: permitted('approval:read')
    .input(InboxInput)
    .query(({ ctx, input }) => inbox(ctx, input)),

  /** One review or task: what is shown, the findings, the rule, the decisions, and why I may or may not decide. */
  get: permitted('approval:read')
    .input(WaitRef)
    .query(({ ctx, input, path }) => detail(ctx, input.runId, input.nodeId, path)),

  /** Approve or reject at a gate, bound to the payload hash the reviewer was shown. */
  decide: permitted('approval:decide')
    .input(DecideInput)
    .mutation(({ ctx, input, path }) => decide(ctx, input, path)),

  /** Answer a human task; the validated answer becomes the step's output. */
  answer: permitted('task:answer')
    .input(AnswerInput)
    .mutation(({ ctx, input, path }) => answer(ctx, input, path)),

  /** The workspace's notification webhook, masked (its path may hold a secret). */
  webhook: permitted('member:manage').query(async ({ ctx, path }) => {
    await assertWholeWorkspace(ctx, path, 'member:manage');
    const row = await ctx.db.prisma.workspace.findUnique({
      where: { id: ctx.actor.workspaceId },
      select: { notificationWebhookUrl: true },
    });
    return { url: maskWebhookUrl(row?.notificationWebhookUrl ?? null) };
  }),

  /** Sets (or with null, removes) where approval news is posted; recorded in the audit trail. */
  setWebhook: permitted('member:manage')
    .input(z.strictObject({ url: WebhookUrl.nullable() }))
    .mutation(async ({ ctx, input }) => {
      requireUser(ctx);
      await ctx.db.prisma.$transaction(async (tx) => {
        await tx.workspace.update({
          where: { id: ctx.actor.workspaceId },
          data: { notificationWebhookUrl: input.url },
        });
        await audit(tx, ctx, [
          { type: 'workspace.webhook_set', payload: { url: maskWebhookUrl(input.url) } },
        ]);
      });
      return { url: maskWebhookUrl(input.url) };
    }),
};

// Webhook triggers: `POST /hooks/:workflowId` starts a run of the workflow's newest published
// version. Per the trigger's `respond`: 'accepted' answers 202 with the run id at once; 'result'
// waits for the run (up to `responseTimeoutMs`) and answers with its output, so a workflow can be
// called like an API. The answer is sent only after the run (or its start) is committed.
//
// Mount: `app.route('/hooks', webhookRoutes({ engine, verifyWebhook }))`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { EngineError, type Engine, type RunRecord } from '@sluice/engine';
import type { TriggerConfig } from '@sluice/spec';
import { Hono } from 'hono';

export type WebhookTrigger = Extract<TriggerConfig, { type: 'webhook' }>;

/** What a verifier is told about the workflow being called. */
export interface WebhookTarget {
  workflowId: string;
  workspaceId: string;
  workflowVersionId: string;
  trigger: WebhookTrigger;
}

/**
 * Decides whether a request may start a run: typically an HMAC of the exact body under the secret
 * the trigger names (`trigger.secret`, a credential reference), sent in `trigger.signatureHeader`.
 * It gets the raw body, before any parsing.
 */
export type VerifyWebhook = (
  request: { header(name: string): string | undefined; body: string },
  target: WebhookTarget,
) => boolean | Promise<boolean>;

export interface WebhookOptions {
  engine: Engine;
  verifyWebhook: VerifyWebhook;
  /** Largest accepted body; default 1 MiB. */
  maxBodyBytes?: number;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * @example
 * app.route('/hooks', webhookRoutes({ engine, verifyWebhook: hmacSha256Verifier(async (t) => vault.secret(t.trigger.secret)) }));
 */
export function webhookRoutes({ engine, verifyWebhook, maxBodyBytes = 1024 * 1024 }: WebhookOptions): Hono {
  const app = new Hono();
  app.post('/:workflowId', async (c) => {
    const workflowId = c.req.param('workflowId');
    const plan = await engine.latestPlan(workflowId).catch((error: unknown) => {
      if (
        error instanceof EngineError &&
        (error.code === 'VERSION_NOT_FOUND' || error.code === 'SPEC_INVALID')
      )
        return null;
      throw error;
    });
    const trigger = plan?.triggerConfig;
    if (!plan || trigger?.type !== 'webhook') {
      return c.json(
        { error: { code: 'NOT_FOUND', message: 'no published workflow with a webhook trigger here' } },
        404,
      );
    }
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > maxBodyBytes) return tooLarge(c, maxBodyBytes);
    const body = await readBody(c.env, () => c.req.text(), maxBodyBytes);
    if (body === null) return tooLarge(c, maxBodyBytes);
    const target: WebhookTarget = {
      workflowId,
      workspaceId: plan.version.workspaceId,
      workflowVersionId: plan.version.id,
      trigger,
    };
    if (!(await verifyWebhook({ header: (name) => c.req.header(name), body }, target))) {
      return c.json(
        { error: { code: 'UNAUTHORIZED', message: 'the request signature does not verify' } },
        401,
      );
    }
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      return c.json({ error: { code: 'BAD_REQUEST', message: 'the body is not JSON' } }, 400);
    }
    let started;
    try {
      started = await engine.startRun({
        workflowVersionId: plan.version.id,
        input,
        runKey: c.req.header('idempotency-key') ?? null,
      });
    } catch (error) {
      if (error instanceof EngineError && error.code === 'INPUT_INVALID') {
        return c.json(
          { error: { code: error.code, message: error.message, issues: error.details.issues ?? [] } },
          422,
        );
      }
      throw error;
    }
    c.header('sluice-run-id', started.runId);
    if (trigger.respond === 'accepted') return c.json({ runId: started.runId, status: started.status }, 202);
    let finished: Pick<RunRecord, 'status' | 'output' | 'error'> | null = TERMINAL.has(started.status)
      ? started
      : null;
    if (!finished) {
      finished = await engine
        .waitForRun(started.runId, { timeoutMs: trigger.responseTimeoutMs })
        .catch((error: unknown) => {
          if (error instanceof EngineError && error.code === 'TIMEOUT') return null;
          throw error;
        });
    }
    if (!finished) return c.json({ runId: started.runId, status: 'running' }, 202);
    if (finished.status === 'succeeded') return c.json(finished.output ?? null, 200);
    return c.json(
      { runId: started.runId, status: finished.status, error: finished.error ?? null },
      finished.status === 'cancelled' ? 409 : 500,
    );
  });
  return app;
}

/**
 * The body as text, or null when it is larger than `max`. On Node it is read straight from the
 * IncomingMessage (@hono/node-server's `env.incoming`): building a web Request just to read a small
 * JSON body costs more than the run it starts.
 */
async function readBody(env: unknown, text: () => Promise<string>, max: number): Promise<string | null> {
  const incoming = typeof env === 'object' && env !== null && 'incoming' in env ? env.incoming : undefined;
  if (!(incoming instanceof Readable)) {
    const body = await text();
    return Buffer.byteLength(body) > max ? null : body;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > max) return null;
    chunks.push(buffer);
  }
  return chunks.length === 1 ? (chunks[0]?.toString('utf8') ?? '') : Buffer.concat(chunks).toString('utf8');
}

function tooLarge(c: { json: (body: unknown, status: 413) => Response }, max: number): Response {
  return c.json(
    { error: { code: 'PAYLOAD_TOO_LARGE', message: `the body is larger than ${max} bytes` } },
    413,
  );
}

/**
 * A verifier for `<signatureHeader>: sha256=<hex HMAC-SHA256 of the body>` (the header may also hold
 * the bare hex). `secretFor` resolves the trigger's secret reference, e.g. through the credential vault.
 *
 * @example
 * const verifyWebhook = hmacSha256Verifier(() => process.env.HOOK_SECRET ?? '');
 */
export function hmacSha256Verifier(
  secretFor: (target: WebhookTarget) => string | Promise<string>,
): VerifyWebhook {
  return async ({ header, body }, target) => {
    const given = header(target.trigger.signatureHeader);
    if (!given) return false;
    const secret = await secretFor(target);
    if (!secret) return false;
    const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'));
    const actual = Buffer.from(
      given
        .replace(/^sha256=/, '')
        .trim()
        .toLowerCase(),
    );
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
}

/** The signature header value for a body (for clients and tests). */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

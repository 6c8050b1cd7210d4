// Webhook triggers: `POST /hooks/:workflowId` starts a run of the workflow's newest published
// version. Per the trigger's `respond`: 'accepted' answers 202 with the run id at once; 'result'
// waits for the run (up to `responseTimeoutMs`) and answers with its output, so a workflow can be
// called like an API. The answer is sent only after the run (or its start) is committed.
//
// Signing: `<signatureHeader>: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` and
// `x-sluice-timestamp: <unix seconds>`; a delivery is accepted within 5 minutes of its timestamp and
// only once (see `hmacSha256Verifier`).
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
  /** The trigger node's id (a credential bound to some nodes must list it). */
  triggerNodeId: string;
  trigger: WebhookTrigger;
}

/** A verifier's answer: accepted, or refused with a reason the caller is told. */
export type WebhookVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Decides whether a request may start a run: typically an HMAC of the exact body under the secret
 * the trigger names (`trigger.secret`, a credential reference), sent in `trigger.signatureHeader`.
 * It gets the raw body, before any parsing.
 */
export type VerifyWebhook = (
  request: { header(name: string): string | undefined; body: string },
  target: WebhookTarget,
) => WebhookVerdict | Promise<WebhookVerdict>;

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
      triggerNodeId: plan.trigger.id,
      trigger,
    };
    const verdict = await verifyWebhook({ header: (name) => c.req.header(name), body }, target);
    if (!verdict.ok) return c.json({ error: { code: 'UNAUTHORIZED', message: verdict.reason } }, 401);
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

/** The header carrying the delivery's timestamp (unix seconds), signed with the body. */
export const TIMESTAMP_HEADER = 'x-sluice-timestamp';

/** How far a delivery's timestamp may be from the server's clock, either way. */
export const REPLAY_WINDOW_MS = 5 * 60 * 1000;

export interface HmacVerifierOptions {
  /**
   * Runs `check` with the trigger's secret (`target.trigger.secret` names a credential); the vault
   * does this without the secret leaving it. Throws or returns false when there is no usable secret.
   */
  withSecret(target: WebhookTarget, check: (secret: string) => boolean): Promise<boolean>;
  /** Records a verified delivery; false when it was seen before (a replay). */
  remember(delivery: {
    workflowId: string;
    timestamp: string;
    signature: string;
    expiresAt: Date;
  }): Promise<boolean>;
  windowMs?: number;
  now?: () => number;
}

/**
 * A verifier for `<signatureHeader>: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the
 * timestamp in `x-sluice-timestamp`: refused when the timestamp is outside the replay window, when
 * the signature does not verify, or when the same delivery was accepted before.
 *
 * @example
 * const verifyWebhook = hmacSha256Verifier({ withSecret, remember });
 */
export function hmacSha256Verifier(options: HmacVerifierOptions): VerifyWebhook {
  const windowMs = options.windowMs ?? REPLAY_WINDOW_MS;
  const now = options.now ?? Date.now;
  return async ({ header, body }, target) => {
    const timestamp = header(TIMESTAMP_HEADER)?.trim();
    if (!timestamp || !/^\d{1,12}$/.test(timestamp))
      return { ok: false, reason: `the ${TIMESTAMP_HEADER} header must be the unix time in seconds` };
    const sentAt = Number(timestamp) * 1000;
    if (Math.abs(now() - sentAt) > windowMs)
      return { ok: false, reason: `the ${TIMESTAMP_HEADER} is outside the replay window` };
    const given = header(target.trigger.signatureHeader)
      ?.replace(/^sha256=/, '')
      .trim()
      .toLowerCase();
    if (!given || !/^[0-9a-f]{64}$/.test(given))
      return { ok: false, reason: `the ${target.trigger.signatureHeader} header must be sha256=<hex>` };
    const actual = Buffer.from(given, 'hex');
    const verified = await options
      .withSecret(target, (secret) => {
        const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
        return actual.length === expected.length && timingSafeEqual(actual, expected);
      })
      .catch(() => false);
    if (!verified) return { ok: false, reason: 'the request signature does not verify' };
    const fresh = await options.remember({
      workflowId: target.workflowId,
      timestamp,
      signature: given,
      expiresAt: new Date(sentAt + windowMs),
    });
    if (!fresh) return { ok: false, reason: 'this delivery was accepted before (replay)' };
    return { ok: true };
  };
}

/**
 * The headers that sign a delivery of `body` (for clients and tests).
 *
 * @example
 * fetch(url, { method: 'POST', body, headers: signWebhookBody(secret, body) });
 */
export function signWebhookBody(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
  signatureHeader = 'x-sluice-signature',
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { [TIMESTAMP_HEADER]: String(timestamp), [signatureHeader]: `sha256=${signature}` };
}

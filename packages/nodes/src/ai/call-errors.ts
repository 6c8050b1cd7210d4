// What a failed model call means for the step: a StepError with a code, a message for people, and
// whether the node's retry policy may try again. The API key never appears in what comes out.
import { APICallError, JSONParseError, NoObjectGeneratedError, RetryError, TypeValidationError } from 'ai';
import { StepError } from '../executor.js';

/**
 * Maps an error from the AI SDK to a StepError. The SDK has already retried retryable HTTP errors
 * (honouring `Retry-After`) when it gives up, so this is the node policy's turn: rate limits and
 * unavailable servers stay retryable, refusals (bad key, bad request) do not.
 *
 * @example
 * throw callError(error, { secret: apiKey, provider: 'openai' });
 */
export function callError(error: unknown, options: { secret?: string; provider: string }): StepError {
  if (error instanceof StepError) return error;
  const redact = (text: string) => (options.secret ? text.split(options.secret).join('[credential]') : text);
  const last = RetryError.isInstance(error) ? error.lastError : error;
  const tries = RetryError.isInstance(error) ? ` after ${error.errors.length} tries` : '';
  const { provider } = options;
  // Checked first: the SDK wraps a body cut short in an APICallError ("Failed to process successful response").
  if (isConnectionLoss(last)) {
    return new StepError(
      'AI_CONNECTION_LOST',
      `the connection to ${provider} was lost mid-reply: ${redact(describe(last))}`,
      { retryable: true },
    );
  }
  if (APICallError.isInstance(last)) {
    const status = last.statusCode;
    const detail = redact(last.message);
    if (status === 429) {
      return new StepError('AI_RATE_LIMITED', `${provider} rate-limited the call${tries}: ${detail}`, {
        retryable: true,
      });
    }
    if (status === 401 || status === 403) {
      return new StepError('AI_UNAUTHORIZED', `${provider} refused the API key (HTTP ${status}): ${detail}`);
    }
    if (last.isRetryable) {
      return new StepError(
        'AI_PROVIDER_UNAVAILABLE',
        `${provider} failed${tries} (${status === undefined ? 'no response' : `HTTP ${status}`}): ${detail}`,
        { retryable: true },
      );
    }
    return new StepError(
      'AI_REQUEST_REJECTED',
      `${provider} rejected the request${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`,
    );
  }
  if (JSONParseError.isInstance(last) || TypeValidationError.isInstance(last)) {
    return new StepError(
      'AI_RESPONSE_MALFORMED',
      `${provider} sent a malformed response chunk: ${redact(firstLine(last))}`,
      {
        retryable: true,
      },
    );
  }
  if (NoObjectGeneratedError.isInstance(last)) {
    return new StepError('AI_OUTPUT_INVALID', `the reply is not a valid object: ${redact(firstLine(last))}`, {
      retryable: true,
    });
  }
  return new StepError('AI_CALL_FAILED', `the call to ${provider} failed: ${redact(describe(last))}`);
}

/** fetch reports a body cut short as `TypeError: terminated` (undici), the socket error as its cause. */
function isConnectionLoss(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/^terminated$|ECONNRESET|socket hang up|other side closed|premature close/i.test(e.message))
      return true;
  }
  return false;
}

/** The error's message and its causes' (`a: b: c`). */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (
    let e = error, depth = 0;
    e !== undefined && depth < 5;
    e = e instanceof Error ? e.cause : undefined, depth++
  ) {
    parts.push(e instanceof Error ? e.message : String(e));
  }
  return parts.join(': ');
}

function firstLine(error: Error): string {
  return error.message.split('\n')[0] ?? error.message;
}

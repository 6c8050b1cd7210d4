import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from './contract';
import { describeError } from './client';

function apiError(message: string, cause?: Error) {
  return new TRPCClientError<AppRouter>(message, cause ? { cause } : undefined);
}

describe('describeError', () => {
  it("shows the server's own message when the API answered with an error", () => {
    const error = TRPCClientError.from<AppRouter>({
      error: {
        message: 'workflow wf_9 not found',
        code: -32004,
        data: { code: 'NOT_FOUND', httpStatus: 404, path: 'workflow.get' },
      },
    });
    expect(describeError(error)).toBe('workflow wf_9 not found');
  });

  it('says the server could not be reached when the request never got an answer', () => {
    expect(describeError(apiError('Failed to fetch', new TypeError('Failed to fetch')))).toMatch(
      /could not be reached/,
    );
  });

  it('says the answer was not from the API when it was not JSON', () => {
    expect(describeError(apiError('Unexpected token <', new SyntaxError('Unexpected token <')))).toMatch(
      /not from the Sluice API/,
    );
  });
});

import { describe, expect, test } from 'vitest';
import type { ExecutorContext } from '../executor.js';
import { outputExecutor } from './execute.js';

function ctx(
  mapping: Record<string, string>,
  input: unknown,
): ExecutorContext<{ mapping: Record<string, string> }> {
  return {
    runId: 'r',
    nodeId: 'done',
    attempt: 1,
    idempotencyKey: 'k',
    config: { mapping },
    input,
    inputs: [input],
    findings: [],
    types: {},
    signal: new AbortController().signal,
    log: () => {},
    heartbeat: async () => {},
    workspaceId: 'w',
    workflowId: 'f',
    usage: { runTokens: 0 },
    credential: () => Promise.reject(new Error('pure steps use no credentials')),
    stream: () => {},
  };
}

describe('output executor', () => {
  test('without a mapping the run result is the input as it arrives', async () => {
    expect(await outputExecutor.execute(ctx({}, { n: 3 }))).toEqual({ output: { n: 3 } });
  });

  test('with a mapping the result is the mapped fields', async () => {
    expect(await outputExecutor.execute(ctx({ double: 'input.n * 2' }, { n: 3 }))).toEqual({
      output: { double: 6 },
    });
  });
});

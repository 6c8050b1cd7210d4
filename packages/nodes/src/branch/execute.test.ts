import { describe, expect, test } from 'vitest';
import type { ExecutorContext } from '../executor.js';
import { branchExecutor } from './execute.js';

const config = {
  cases: [
    { port: 'big', when: 'input.n > 100' },
    { port: 'mid', when: 'input.n > 10' },
  ],
  defaultPort: 'small',
};

function ctx(input: unknown): ExecutorContext<typeof config> {
  return {
    runId: 'r',
    nodeId: 'route',
    attempt: 1,
    idempotencyKey: 'k',
    config,
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

describe('branch executor', () => {
  test.each([
    [500, 'big'],
    [50, 'mid'],
    [5, 'small'],
  ])('n = %i takes the port of the first case that holds: %s', async (n, port) => {
    expect(await branchExecutor.execute(ctx({ n }))).toEqual({ output: { n }, ports: [port] });
  });

  test('a condition that fails fails the step', async () => {
    await expect(async () => branchExecutor.execute(ctx({ m: 1 }))).rejects.toMatchObject({
      code: 'EXPRESSION_FAILED',
    });
  });
});

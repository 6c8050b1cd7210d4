import { describe, expect, test } from 'vitest';
import { type ExecutorContext, StepError } from '../executor.js';
import { transformExecutor } from './execute.js';

function ctx<C>(config: C, input: unknown, types: ExecutorContext['types'] = {}): ExecutorContext<C> {
  return {
    runId: 'r',
    nodeId: 'n',
    workspaceId: 'w',
    workflowId: 'f',
    usage: { runTokens: 0 },
    credential: () => Promise.reject(new Error('pure steps use no credentials')),
    stream: () => {},
    attempt: 1,
    idempotencyKey: 'k',
    config,
    input,
    inputs: [input],
    findings: [],
    types,
    signal: new AbortController().signal,
    log: () => {},
    heartbeat: async () => {},
  };
}

describe('transform executor', () => {
  test.each([
    [{ n: 'input.n + 1' }, { n: 1 }, { n: 2 }],
    [{ label: '"#" + string(input.n)', big: 'input.n > 10' }, { n: 41 }, { label: '#41', big: true }],
    [{ sum: 'sum(inputs.map(x, x.n))' }, { n: 2 }, { sum: 2 }],
  ])('%j over %j gives %j', async (mapping, input, output) => {
    expect(await transformExecutor.execute(ctx({ mapping }, input))).toEqual({ output });
  });

  test('numbers typed as doubles by the compiler stay doubles, so mixed arithmetic works', async () => {
    const types: ExecutorContext['types'] = {
      input: { type: 'object', properties: { price: { type: 'number' } } },
    };
    const result = await transformExecutor.execute(
      ctx({ mapping: { total: 'input.price * 1.5' } }, { price: 10 }, types),
    );
    expect(result).toEqual({ output: { total: 15 } });
  });

  test('an expression that fails at run time fails the step, naming the field', async () => {
    const run = async () => transformExecutor.execute(ctx({ mapping: { n: 'input.missing + 1' } }, { n: 1 }));
    await expect(run()).rejects.toBeInstanceOf(StepError);
    await expect(run()).rejects.toMatchObject({
      code: 'EXPRESSION_FAILED',
      message: expect.stringMatching(/^n: /),
    });
  });
});

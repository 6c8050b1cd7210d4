// A hand-built ExecutorContext for executor tests: what the engine would pass, with everything the
// step emits (logs, live stream chunks, credential look-ups) recorded for assertions.
import { type ExecutorContext, type ExecutorLogLevel, StepError, type StepStreamChunk } from '../executor.js';

/** What a test context recorded while a step ran. */
export interface ContextRecording {
  logs: { level: ExecutorLogLevel; message: string; data?: unknown }[];
  streamed: StepStreamChunk[];
  credentialsAsked: string[];
}

export interface TestContextOptions<C> {
  config: C;
  input?: unknown;
  /** Plaintext credentials by name; asking for another name throws like the engine's refusal. */
  credentials?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
  runTokens?: number;
  attempt?: number;
  types?: ExecutorContext['types'];
  /** Called with each live chunk as the step streams it (after it is recorded). */
  onStream?: (chunk: StepStreamChunk, recording: ContextRecording) => void;
}

/**
 * A context for calling `executor.execute(ctx)` directly, and what the step did with it.
 *
 * @example
 * const { ctx, recording } = testContext({ config: { mapping: { n: 'input.n' } }, input: { n: 1 } });
 * await transformExecutor.execute(ctx);
 * recording.logs; // []
 */
export function testContext<C>(options: TestContextOptions<C>): {
  ctx: ExecutorContext<C>;
  recording: ContextRecording;
} {
  const recording: ContextRecording = { logs: [], streamed: [], credentialsAsked: [] };
  const input = options.input ?? null;
  const ctx: ExecutorContext<C> = {
    runId: 'run-test',
    nodeId: 'node-test',
    workspaceId: 'workspace-test',
    workflowId: 'workflow-test',
    attempt: options.attempt ?? 1,
    idempotencyKey: 'idem-run-test-node-test-1',
    config: options.config,
    input,
    inputs: [input],
    findings: [],
    types: options.types ?? {},
    signal: options.signal ?? new AbortController().signal,
    log: (level, message, data) => void recording.logs.push({ level, message, data }),
    heartbeat: async () => {},
    credential: async (name) => {
      recording.credentialsAsked.push(name);
      const value = options.credentials?.[name];
      if (value === undefined)
        throw new StepError('CREDENTIAL_REFUSED', `no credential "${name}" in this test context`);
      return value;
    },
    stream: (chunk) => {
      recording.streamed.push(chunk);
      options.onStream?.(chunk, recording);
    },
    usage: { runTokens: options.runTokens ?? 0 },
  };
  return { ctx, recording };
}

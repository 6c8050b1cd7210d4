// @sluice/nodes/testing: fixtures for tests in any package (never imported by production code).
export {
  ChatRequest,
  type ModelServer,
  type RecordedRequest,
  type ScriptedReply,
  startModelServer,
} from './model-server.js';
export { type ContextRecording, testContext, type TestContextOptions } from './executor-context.js';

// @sluice/nodes/testing: fixtures for tests in any package (never imported by production code).
export {
  type ModelServer,
  type RecordedRequest,
  type ScriptedReply,
  startModelServer,
} from './model-server.js';
export { ChatRequest, MessagesRequest } from './wire-formats.js';
export { type ContextRecording, testContext, type TestContextOptions } from './executor-context.js';

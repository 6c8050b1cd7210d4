// The validator's server-only exports: the executor, and the detectors and injection heuristics for
// anything else that inspects data at run time (the engine's handoff inspection).
export { validatorExecutor } from './execute.js';
export {
  ALL_DETECTORS,
  type PayloadMatch,
  redactionMarker,
  redactPayload,
  scanPayload,
  scanText,
  type TextMatch,
} from './detectors/index.js';
export { type InjectionReport, injectionReport, type InjectionSignal } from './injection/index.js';

// The PII and secret detectors: one string (`scanText`) or a whole JSON payload (`scanPayload`,
// `redactPayload`). Pure and deterministic; the engine uses them to inspect handoffs at run time.
export { cardNumberValid } from './financial.js';
export { ibanValid, luhnCheckDigit, luhnValid, spanishIdValid } from './checksums.js';
export { ssnValid } from './national-id.js';
export { ipv6Valid } from './network.js';
export { jwtHeaderValid } from './secrets.js';
export type { Span, TextMatch } from './pattern.js';
export { scanText } from './scan-text.js';
export {
  ALL_DETECTORS,
  type PayloadMatch,
  pointerSegment,
  redactionMarker,
  redactPayload,
  redactText,
  scanPayload,
  type WalkOptions,
  walkPayload,
} from './walk.js';

// Errors the engine's API returns: a code for machines, a message for people, and details that say
// what was wrong (CONVENTIONS 17).

export type EngineErrorCode =
  | 'VERSION_NOT_FOUND'
  | 'SPEC_INVALID'
  | 'INPUT_INVALID'
  | 'RUN_NOT_FOUND'
  | 'STEP_NOT_FOUND'
  | 'RUN_ACTIVE'
  | 'NOT_REVERSIBLE'
  | 'TIMEOUT'
  | 'ENGINE_STOPPED';

/**
 * @example
 * try { await engine.startRun(request); } catch (e) {
 *   if (e instanceof EngineError && e.code === 'INPUT_INVALID') return c.json({ issues: e.details.issues }, 422);
 * }
 */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly details: { issues?: string[] };
  constructor(code: EngineErrorCode, message: string, details: { issues?: string[] } = {}) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
}

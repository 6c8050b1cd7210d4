/**
 * The logging surface packages/db writes to. Structurally compatible with the server's logger, so
 * callers pass theirs as is.
 *
 * @example
 * const log: DbLogger = { debug() {}, info: console.info, warn: console.warn, error: console.error };
 */
export interface DbLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything; the default where logging is optional. */
export const silentLogger: DbLogger = { debug() {}, info() {}, warn() {}, error() {} };

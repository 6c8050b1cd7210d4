import type { ParseArgsConfig } from 'node:util';
import { auditCommand } from './audit';
import { compileCommand } from './compile';
import { migrateCommand } from './migrate';
import { startCommand } from './start';
import { validateCommand } from './validate';
import { workerCommand } from './worker';

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs): Promise<number>;
}

export const commands = {
  start: startCommand,
  migrate: migrateCommand,
  worker: workerCommand,
  audit: auditCommand,
  validate: validateCommand,
  compile: compileCommand,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof commands;

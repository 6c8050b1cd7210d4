// The `sluice` command line: parses and dispatches to ./commands. cli.ts runs it.
import { parseArgs } from 'node:util';
import { DocumentReadError } from './commands/document';
import { ConfigError } from './config';
import { commands, type CommandName } from './commands';
import { version } from './version';

const usage = `sluice ${version}: build and run AI workflows a security team can sign off on

Usage: sluice <command> [options]

Commands:
${Object.entries(commands)
  .map(([, command]) => `  ${command.usage.padEnd(34)} ${command.summary}`)
  .join('\n')}

Options:
  -h, --help                        show this help
  -v, --version                     print the version

Environment: PORT, HOST, DATABASE_URL, SLUICE_DATA_DIR, SLUICE_MASTER_KEY, SLUICE_PUBLIC_URL,
SLUICE_TLS_CERT, SLUICE_TLS_KEY, SLUICE_LOG_LEVEL (see README.md).`;

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(`${usage}\n`);
    return first === undefined ? 1 : 0;
  }
  if (first === '-v' || first === '--version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (!(first in commands)) {
    process.stderr.write(`sluice: unknown command '${first}'. Run 'sluice --help' for the list.\n`);
    return 2;
  }
  const command = commands[first as CommandName];
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`sluice ${first}: ${(error as Error).message}\nUsage: sluice ${command.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`Usage: sluice ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(parsed);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DocumentReadError) {
      process.stderr.write(`sluice ${first}: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`sluice ${first}: ${(error as Error).message}\n`);
    return 1;
  }
}

import { formatDiagnostics, hasErrors } from '@sluice/spec';
import type { Command } from './index';
import { compileFile } from './document';

export const validateCommand: Command = {
  usage: 'validate <file> [--json]',
  summary: 'check a workflow (editor graph or spec JSON); exits 1 on errors',
  options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  async run({ values, positionals }) {
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) {
      process.stderr.write('Usage: sluice validate <file> [--json]\n');
      return 2;
    }
    const result = await compileFile(file);
    process.stdout.write(
      values.json
        ? `${JSON.stringify(result.diagnostics, null, 2)}\n`
        : `${formatDiagnostics(file, result.diagnostics, { hints: true })}\n`,
    );
    return hasErrors(result.diagnostics) ? 1 : 0;
  },
};

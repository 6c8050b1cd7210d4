import { formatDiagnostics, hasErrors } from '@sluice/spec';
import type { Command } from './index';
import { compileFile } from './document';

export const compileCommand: Command = {
  usage: 'compile <graph>',
  summary: 'compile an editor graph and print its sluice/v1 spec (diagnostics on stderr)',
  options: { help: { type: 'boolean', short: 'h' } },
  async run({ positionals }) {
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) {
      process.stderr.write('Usage: sluice compile <graph>\n');
      return 2;
    }
    const result = await compileFile(file);
    if (result.diagnostics.length > 0)
      process.stderr.write(`${formatDiagnostics(file, result.diagnostics)}\n`);
    if (!result.spec || hasErrors(result.diagnostics)) return 1;
    process.stdout.write(`${JSON.stringify(result.spec, null, 2)}\n`);
    return 0;
  },
};

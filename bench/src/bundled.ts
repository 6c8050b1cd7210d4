// The benchmarks' server processes run as the product's server does: compiled by its bundler
// (apps/server/scripts/bundle.ts, which `npm start` builds with) and started on plain node.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../../apps/server/scripts/bundle.js';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');

/**
 * Compiles the harness at `entry` (a TypeScript file under bench/src) into bench/dist and returns
 * the module to run.
 *
 * @example
 * spawn(process.execPath, [await bundled(path.join(here, 'server.ts'))]);
 */
export async function bundled(entry: string): Promise<string> {
  const name = `${path.basename(path.dirname(entry))}-${path.basename(entry, '.ts')}.mjs`;
  const outfile = path.join(outDir, name);
  await bundle({ entry, outfile });
  return outfile;
}

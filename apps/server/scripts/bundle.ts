// Builds the server as it runs in production: `src/cli.ts` and the workspace packages it imports,
// compiled into one ES module (`dist/cli.mjs`) that plain `node` runs. Its source map is written
// beside it but not loaded by default (it costs the process 10-25 MB): run with
// NODE_OPTIONS=--enable-source-maps for stack traces that name the sources. Running the TypeScript
// through tsx instead cost a chain100 request 6-10% more server CPU (two alternated pairs over HTTP):
// tsx keeps every function's name with a wrapper call and maps every module on load.
//
// Third-party packages stay outside the bundle and load from node_modules as they would for the
// sources, so each is one instance and keeps its own files (Prisma's runtime, PostgreSQL's binaries).
// A package that Node would not find from the bundle's folder (one installed under a workspace
// package's own node_modules) is imported by its relative path instead.
//
//   tsx scripts/bundle.ts                 # dist/cli.mjs
//   bundle({ entry, outfile })            # another entry (the benchmark's server), same rules
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface BundleOptions {
  /** The TypeScript entry point. */
  entry: string;
  /** The ES module to write (its source map is written beside it). */
  outfile: string;
}

export async function bundle({ entry, outfile }: BundleOptions): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [thirdPartyExternal(path.dirname(outfile))],
  });
}

const RESOLVING = Symbol('resolving');

/** Leaves packages from node_modules (and Node's built-ins) out of the bundle; see the file's head. */
function thirdPartyExternal(outdir: string): Plugin {
  return {
    name: 'third-party-external',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: RESOLVING,
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        const found = packageOf(resolved.path);
        // A workspace package (linked into node_modules, resolved to its sources): bundled.
        if (!found) return { path: resolved.path };
        if (nodeWouldFind(outdir, found.name) === fs.realpathSync(found.dir)) {
          return { path: args.path, external: true };
        }
        const relative = path.relative(outdir, resolved.path).split(path.sep).join('/');
        return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
      });
    },
  };
}

/** The node_modules package holding `file` (its folder and name), or null when `file` is in none. */
function packageOf(file: string): { dir: string; name: string } | null {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return null;
  const parts = file.slice(at + marker.length).split(path.sep);
  const nameParts = parts.slice(0, parts[0]?.startsWith('@') ? 2 : 1);
  return { dir: file.slice(0, at + marker.length) + nameParts.join(path.sep), name: nameParts.join('/') };
}

/** Where Node, importing `name` from a module in `dir`, finds the package (real path), if anywhere. */
function nodeWouldFind(dir: string, name: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', ...name.split('/'));
    if (fs.existsSync(candidate)) return fs.realpathSync(candidate);
    if (path.dirname(d) === d) return null;
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle({ entry: path.join(here, '../src/cli.ts'), outfile: path.join(here, '../dist/cli.mjs') });
}

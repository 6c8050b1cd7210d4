// The production build: the server compiled into one module that plain node runs, from the same
// checkout, with third-party packages loaded from node_modules.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase } from '@sluice/db/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import rootPackage from '../../../package.json' with { type: 'json' };
import { bundle } from './bundle';

const run = promisify(execFile);
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Beside dist/, so that node_modules are found from it as they are from dist/cli.mjs.
const outDir = fs.mkdtempSync(path.join(serverDir, '.bundle-test-'));
const outfile = path.join(outDir, 'cli.mjs');

beforeAll(() => bundle({ entry: path.join(serverDir, 'src', 'cli.ts'), outfile }), 60_000);
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

/** The module specifiers the bundle imports (static and dynamic). */
function importedSpecifiers(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*"([^"]+)"/gm))
    found.add(match[1] ?? '');
  for (const match of code.matchAll(/^\s*import\s*"([^"]+)"/gm)) found.add(match[1] ?? '');
  return [...found];
}

describe('the server bundle', () => {
  test('holds the workspace packages and leaves third-party code in node_modules', () => {
    const code = fs.readFileSync(outfile, 'utf8');
    // esbuild heads each bundled file with a comment naming it.
    const files = [...code.matchAll(/^\/\/ (\S+\.(?:ts|js|mjs|cjs|json))$/gm)].map((m) => m[1] ?? '');
    expect(files.some((f) => f.includes('packages/engine/src/'))).toBe(true);
    expect(files.filter((f) => f.includes('node_modules/'))).toEqual([]);
    expect(fs.existsSync(`${outfile}.map`)).toBe(true);
  });

  test('imports a package that Node would not find from its folder by a path that exists', () => {
    const code = fs.readFileSync(outfile, 'utf8');
    const relative = importedSpecifiers(code).filter((s) => s.startsWith('.'));
    // better-auth is installed under packages/api/node_modules only.
    expect(relative.some((s) => s.includes('/packages/api/node_modules/better-auth/'))).toBe(true);
    for (const specifier of relative)
      expect(fs.existsSync(path.resolve(outDir, specifier)), specifier).toBe(true);
  });

  test('runs on plain node', async () => {
    const { stdout } = await run(process.execPath, [outfile, '--version']);
    expect(stdout.trim()).toContain(rootPackage.version);
  });

  test('finds the checkout’s migrations from where it is written', async () => {
    const scratch = await createTestDatabase({ empty: true });
    try {
      const { stdout } = await run(process.execPath, [outfile, 'migrate'], {
        env: { ...process.env, DATABASE_URL: scratch.url, SLUICE_LOG_LEVEL: 'warn' },
      });
      const migrations = fs
        .readdirSync(path.join(serverDir, '..', '..', 'prisma', 'migrations'), { withFileTypes: true })
        .filter((e) => e.isDirectory());
      expect(stdout).toContain(`applied ${migrations.length}:`);
    } finally {
      await scratch.drop();
    }
  });
});

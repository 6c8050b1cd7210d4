import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from './main';
import { version } from './version';

const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
afterEach(() => {
  out.mockClear();
  err.mockClear();
});
const printed = (spy: typeof out) => spy.mock.calls.map((call) => String(call[0])).join('');

test('--help lists every command and the environment', async () => {
  expect(await main(['--help'])).toBe(0);
  const text = printed(out);
  for (const word of ['start', 'migrate', 'PORT', 'DATABASE_URL', 'SLUICE_DATA_DIR', 'SLUICE_MASTER_KEY']) {
    expect(text).toContain(word);
  }
});

test('no command prints the help and fails', async () => {
  expect(await main([])).toBe(1);
  expect(printed(out)).toContain('Usage: sluice <command>');
});

test.each([['--version'], ['-v']])('%s prints the version', async (flag) => {
  expect(await main([flag])).toBe(0);
  expect(printed(out)).toBe(`${version}\n`);
});

test('an unknown command names itself and points at --help', async () => {
  expect(await main(['strat'])).toBe(2);
  expect(printed(err)).toContain("unknown command 'strat'");
});

test('an unknown flag is a clear usage error, nothing starts', async () => {
  expect(await main(['start', '--prot', '80'])).toBe(2);
  expect(printed(err)).toMatch(/sluice start: Unknown option '--prot'/);
});

test('a subcommand answers --help', async () => {
  expect(await main(['migrate', '--help'])).toBe(0);
  expect(printed(out)).toContain('apply pending database migrations');
});

describe('validate and compile', () => {
  const demo = fileURLToPath(new URL('./demo/support-triage.graph.json', import.meta.url));

  async function brokenCopy(): Promise<string> {
    const graph = JSON.parse(await fs.readFile(demo, 'utf8'));
    const gate = graph.nodes.find((n: { id: string }) => n.id === 'refund_gate');
    gate.config.tiers[0].when = 'input.refundAmount >';
    graph.nodes.find((n: { id: string }) => n.id === 'classify').config.temperature = 5;
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-cli-')), 'broken.json');
    await fs.writeFile(file, JSON.stringify(graph));
    return file;
  }

  test('validate: a valid workflow prints no problems and exits 0', async () => {
    expect(await main(['validate', demo])).toBe(0);
    expect(printed(out)).toContain('no problems');
  });

  test('validate: errors print as a compiler does and exit 1', async () => {
    const file = await brokenCopy();
    expect(await main(['validate', file])).toBe(1);
    const text = printed(out);
    expect(text).toMatch(
      new RegExp(`^${file}: node "refund_gate" config\\.tiers\\[0\\]\\.when: error SL401 `, 'm'),
    );
    expect(text).toMatch(new RegExp(`^${file}: node "classify" config\\.temperature: error SL201 `, 'm'));
  });

  test('validate --json prints the diagnostics array', async () => {
    expect(await main(['validate', '--json', await brokenCopy()])).toBe(1);
    const diagnostics = JSON.parse(printed(out)) as Array<{ code: string; nodeId?: string }>;
    expect(diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['SL401', 'SL201']));
  });

  test('validate: an unreadable or non-JSON file is a clear error', async () => {
    expect(await main(['validate', '/nonexistent/flow.json'])).toBe(2);
    expect(printed(err)).toContain('cannot read /nonexistent/flow.json');
  });

  test('compile prints the spec of a valid graph', async () => {
    expect(await main(['compile', demo])).toBe(0);
    const spec = JSON.parse(printed(out)) as { specVersion: string; nodes: Record<string, unknown> };
    expect(spec.specVersion).toBe('sluice/v1');
    expect(Object.keys(spec.nodes)).toEqual(
      expect.arrayContaining(['redact_pii', 'classify', 'refund_gate', 'result']),
    );
  });

  test('compile refuses a graph with errors', async () => {
    expect(await main(['compile', await brokenCopy()])).toBe(1);
    expect(printed(out)).toBe('');
    expect(printed(err)).toContain('SL401');
  });
});

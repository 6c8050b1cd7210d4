import { afterEach, expect, test, vi } from 'vitest';
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

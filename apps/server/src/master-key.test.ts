import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { loadMasterKey } from './master-key';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-key-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

test('generates a 32-byte key file readable only by its owner, and reuses it', async () => {
  const first = await loadMasterKey({ configured: undefined, dataDir: dir });
  expect(first.key).toHaveLength(32);
  expect(first.source).toBe(path.join(dir, 'master.key'));
  expect((await fs.stat(first.source)).mode & 0o777).toBe(0o600);
  const second = await loadMasterKey({ configured: undefined, dataDir: dir });
  expect(second.key.equals(first.key)).toBe(true);
});

test('SLUICE_MASTER_KEY wins over the file, base64 or base64url', async () => {
  const raw = Buffer.alloc(32, 0xfb);
  expect((await loadMasterKey({ configured: raw.toString('base64url'), dataDir: dir })).key.equals(raw)).toBe(
    true,
  );
  expect((await loadMasterKey({ configured: raw.toString('base64'), dataDir: dir })).source).toBe('env');
});

test('a key file of the wrong size is refused, naming the file', async () => {
  await fs.writeFile(path.join(dir, 'master.key'), Buffer.alloc(16).toString('base64'));
  await expect(loadMasterKey({ configured: undefined, dataDir: dir })).rejects.toThrow(
    /master\.key must hold 32 bytes/,
  );
});

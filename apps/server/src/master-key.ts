import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface MasterKey {
  key: Buffer;
  /** 'env' when SLUICE_MASTER_KEY gave it, else the path of the key file. */
  source: string;
}

/**
 * The key that wraps every credential's data key. From SLUICE_MASTER_KEY when set; otherwise a random
 * key generated once into <dataDir>/master.key (mode 0600). The caller warns when that file guards an
 * external database, whose data would outlive a key kept on one machine's disk.
 */
export async function loadMasterKey(options: {
  configured: string | undefined;
  dataDir: string;
}): Promise<MasterKey> {
  if (options.configured) return { key: decodeKey(options.configured, 'SLUICE_MASTER_KEY'), source: 'env' };
  const file = path.join(options.dataDir, 'master.key');
  try {
    return { key: decodeKey((await fs.readFile(file, 'utf8')).trim(), file), source: file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  await fs.writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, source: file };
}

function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new Error(`${source} must hold 32 bytes (base64), got ${key.length}`);
  return key;
}

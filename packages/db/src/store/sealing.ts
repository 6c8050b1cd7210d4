// Encryption at rest of confidential and restricted step data (DESIGN §5). The engine marks what is
// sealed (a step's input and output, a wait's payload, a run's input or output); the store seals
// those values with the workspace's data key just before writing them and opens sealed values as it
// reads them back, so the engine only ever sees plaintext and the database only ciphertext. Hashes
// in events are of the plaintext: `sluice audit verify` opens sealed values to check them.
import type { RunRecord, WaitRecord } from '@sluice/engine';
import type { DataSealer } from '../vault/data-sealer';

/** What the store needs of the vault's data sealer. */
export type StoreSealer = Pick<DataSealer, 'seal' | 'open' | 'isSealed'>;

/** Seals `value` when `sealed` (null stays null: there is nothing to hide). */
export async function sealIf(
  sealer: StoreSealer | undefined,
  workspaceId: string,
  sealed: boolean | undefined,
  value: unknown,
): Promise<unknown> {
  if (!sealed || value === null || value === undefined) return value;
  if (!sealer) {
    throw new Error(
      'this step handles confidential data, and the store has no data sealer to encrypt it at rest',
    );
  }
  return sealer.seal(workspaceId, value);
}

/** Opens a sealed value; anything else is returned as it is. */
export async function openIf(
  sealer: StoreSealer | undefined,
  workspaceId: string,
  value: unknown,
): Promise<unknown> {
  if (value === null || typeof value !== 'object' || !('$sealed' in value)) return value;
  if (!sealer?.isSealed(value)) {
    throw new Error('a stored value is encrypted at rest and this process has no key to open it');
  }
  return sealer.open(workspaceId, value);
}

/** A run record with its input and output opened when they are sealed. */
export async function openRun(sealer: StoreSealer | undefined, run: RunRecord): Promise<RunRecord> {
  return {
    ...run,
    input: await openIf(sealer, run.workspaceId, run.input),
    output: await openIf(sealer, run.workspaceId, run.output),
  };
}

/** A wait record with its payload (and the replaced attempt's, when read) opened when sealed. */
export async function openWait(sealer: StoreSealer | undefined, wait: WaitRecord): Promise<WaitRecord> {
  const payload = await openIf(sealer, wait.workspaceId, wait.payload);
  if (!wait.previous) return { ...wait, payload };
  const previous = {
    ...wait.previous,
    payload: await openIf(sealer, wait.workspaceId, wait.previous.payload),
  };
  return { ...wait, payload, previous };
}

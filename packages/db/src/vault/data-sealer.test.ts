import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { test } from '../testing';
import { createDataSealer } from './data-sealer';

const RESTRICTED = `restricted-${randomUUID()}`;

describe('the data sealer', () => {
  test('seals JSON with the workspace data key; only that workspace opens it', async ({ db }) => {
    const masterKey = randomBytes(32);
    const a = await db.prisma.workspace.create({ data: { name: 'a', slug: 'seal-a' } });
    const b = await db.prisma.workspace.create({ data: { name: 'b', slug: 'seal-b' } });
    const sealer = createDataSealer({ prisma: db.prisma, masterKey });
    const value = { ssn: RESTRICTED, nested: [1, 'two', { three: true }], none: null };
    const sealed = await sealer.seal(a.id, value);
    expect(sealed).toMatchObject({ $sealed: 'v1', k: 1 });
    expect(JSON.stringify(sealed)).not.toContain(RESTRICTED);
    expect(sealer.isSealed(sealed)).toBe(true);
    expect(sealer.isSealed(value)).toBe(false);
    expect(sealer.isSealed({ $sealed: 'v1' })).toBe(false);
    expect(await sealer.open(a.id, sealed)).toEqual(value);
    // Stored as JSON and read back by a process with no cached key.
    const fresh = createDataSealer({ prisma: db.prisma, masterKey });
    expect(await fresh.open(a.id, JSON.parse(JSON.stringify(sealed)))).toEqual(value);
    // Another workspace, a tampered ciphertext, another master key: none opens it.
    await sealer.seal(b.id, 'b has its own key');
    await expect(sealer.open(b.id, sealed)).rejects.toThrow('does not decrypt');
    const flipped = Buffer.from(sealed.ct, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await expect(sealer.open(a.id, { ...sealed, ct: flipped.toString('base64') })).rejects.toThrow(
      'does not decrypt',
    );
    const stranger = createDataSealer({ prisma: db.prisma, masterKey: randomBytes(32) });
    await expect(stranger.open(a.id, sealed)).rejects.toThrow('does not decrypt');
    // One key row per workspace, wrapped: the data key itself is nowhere in plain.
    const keys = await db.prisma.workspaceKey.findMany({ where: { workspaceId: { in: [a.id, b.id] } } });
    expect(keys.map((k) => k.version)).toEqual([1, 1]);
  });

  test('concurrent first seals of a workspace agree on one data key', async ({ db }) => {
    const masterKey = randomBytes(32);
    const ws = await db.prisma.workspace.create({ data: { name: 'race', slug: 'seal-race' } });
    const sealers = Array.from({ length: 4 }, () => createDataSealer({ prisma: db.prisma, masterKey }));
    const sealed = await Promise.all(sealers.map((s, i) => s.seal(ws.id, { i })));
    for (const [i, s] of sealed.entries()) expect(await sealers[(i + 1) % 4]?.open(ws.id, s)).toEqual({ i });
    expect(await db.prisma.workspaceKey.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  test('refuses what is not JSON', async ({ db }) => {
    const ws = await db.prisma.workspace.create({ data: { name: 'nj', slug: 'seal-nj' } });
    const sealer = createDataSealer({ prisma: db.prisma, masterKey: randomBytes(32) });
    await expect(sealer.seal(ws.id, undefined)).rejects.toThrow('only JSON values');
    await expect(sealer.open(ws.id, { $sealed: 'v2' } as never)).rejects.toThrow();
  });
});

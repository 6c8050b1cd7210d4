import { describe, expect, test } from 'vitest';
import { GroupCommitter } from './group-commit';

describe('group commit', () => {
  test('units submitted while a batch is in flight share the next batch; each gets its own result', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const committer = new GroupCommitter<number, number>(async (units) => {
      batches.push(units);
      if (batches.length === 1) await gate;
      return units.map((u) => u * 10);
    });
    const first = committer.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((u) => committer.submit(u));
    release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  test('a failing batch is retried unit by unit, so one bad unit fails alone', async () => {
    const committer = new GroupCommitter<number, number>(async (units) => {
      if (units.includes(13)) throw new Error('13 does not fit');
      return units;
    });
    const results = await Promise.allSettled([1, 13, 2].map((u) => committer.submit(u)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  test('batches are capped at maxBatch', async () => {
    const sizes: number[] = [];
    const committer = new GroupCommitter<number, number>(async (units) => (sizes.push(units.length), units), {
      maxBatch: 3,
    });
    await Promise.all(Array.from({ length: 7 }, (_, i) => committer.submit(i)));
    expect(sizes).toEqual([3, 3, 1]);
  });

  test('with a weight, a batch is cut by the work it carries: a heavy unit goes alone, light ones share', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const committer = new GroupCommitter<number, number>(
      async (units) => {
        batches.push(units);
        if (batches.length === 1) await gate;
        return units;
      },
      { maxWeight: 10, maxInFlight: 1 },
      (unit) => unit,
    );
    const first = committer.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    // Queued behind the first batch: 4 + 5 fit in 10, 7 does not join them, 30 exceeds it alone.
    const rest = [4, 5, 7, 30, 2].map((u) => committer.submit(u));
    release();
    expect(await Promise.all([first, ...rest])).toEqual([1, 4, 5, 7, 30, 2]);
    expect(batches).toEqual([[1], [4, 5], [7], [30], [2]]);
  });
});

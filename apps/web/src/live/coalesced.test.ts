import { describe, expect, it } from 'vitest';
import { coalesced } from './coalesced';

/** Loads that finish when the test says so. */
function manual() {
  const pending: Array<() => void> = [];
  let started = 0;
  const load = () =>
    new Promise<void>((resolve) => {
      started += 1;
      pending.push(resolve);
    });
  const finish = async () => {
    pending.shift()?.();
    // Let the settled load's `finally` run.
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { load, finish, started: () => started };
}

describe('coalesced', () => {
  it('loads at once when idle', () => {
    const m = manual();
    const refetch = coalesced(m.load);
    refetch.request();
    expect(m.started()).toBe(1);
    expect(refetch.busy).toBe(true);
  });

  it('turns any number of requests during a load into one more load after it', async () => {
    const m = manual();
    const refetch = coalesced(m.load);
    refetch.request();
    refetch.request();
    refetch.request();
    refetch.request();
    expect(m.started()).toBe(1);
    await m.finish();
    expect(m.started()).toBe(2);
    await m.finish();
    expect(m.started()).toBe(2);
    expect(refetch.busy).toBe(false);
  });

  it('goes on after a failed load', async () => {
    let calls = 0;
    const refetch = coalesced(async () => {
      calls += 1;
      if (calls === 1) throw new Error('network down');
    });
    refetch.request();
    refetch.request();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toBe(2);
  });
});

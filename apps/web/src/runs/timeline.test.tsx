import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../live/run-event';
import { JsonView } from './json-view';
import { describeEvent, Timeline, TIMELINE_REFRESH_MS } from './timeline';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const hostile = '<img src=x onerror=alert(1)>';

function event(seq: number, message: string): RunEvent {
  return {
    runId: 'r',
    workspaceId: 'w',
    seq,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    actorId: null,
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    type: 'step.log',
    payload: { nodeId: 'a', attempt: 1, level: 'warn', message },
  };
}

let container: HTMLDivElement;
let root: Root;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

describe('Timeline', () => {
  it('lists each event once by sequence number, with user text as text', () => {
    act(() =>
      root.render(<Timeline events={[event(1, hostile), event(2, 'second')]} labelOf={() => hostile} />),
    );
    const items = [...container.querySelectorAll('li')];
    expect(items.map((li) => li.dataset.seq)).toEqual(['1', '2']);
    expect(container.querySelector('img')).toBeNull();
    expect(items[0]?.textContent).toContain(`${hostile} [warn] ${hostile}`);
  });

  it('describes settled steps and failures in words', () => {
    const labelOf = (id: string) => id.toUpperCase();
    const settled: RunEvent = {
      ...event(3, ''),
      type: 'steps.settled',
      payload: {
        steps: [
          { status: 'skipped', nodeId: 'b' },
          { status: 'cancelled', nodeId: 'c' },
        ],
      },
    };
    expect(describeEvent(settled, labelOf)).toBe('B skipped · C cancelled');
    const failed: RunEvent = {
      ...event(4, ''),
      type: 'step.failed',
      payload: { nodeId: 'a', attempt: 1, error: { code: 'X', message: 'down' }, willRetry: true },
    };
    expect(describeEvent(failed, labelOf)).toBe('A failed: down (will retry)');
  });
});

describe('Timeline while events stream in', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows the first events at once, takes later ones a few times a second, and always the last', () => {
    const events = Array.from({ length: 30 }, (_, i) => event(i + 1, `e${i + 1}`));
    const shown = () => container.querySelectorAll('li').length;
    act(() => root.render(<Timeline events={events.slice(0, 1)} labelOf={(id) => id} />));
    expect(shown()).toBe(1);
    // One event a frame (16 ms) for 29 frames: the list changes at most every TIMELINE_REFRESH_MS.
    let changes = 0;
    for (let n = 2; n <= 30; n += 1) {
      const before = shown();
      act(() => {
        root.render(<Timeline events={events.slice(0, n)} labelOf={(id) => id} />);
        vi.advanceTimersByTime(16);
      });
      if (shown() !== before) changes += 1;
    }
    expect(changes).toBeGreaterThan(0);
    expect(changes).toBeLessThanOrEqual(Math.ceil((29 * 16) / TIMELINE_REFRESH_MS));
    act(() => vi.advanceTimersByTime(TIMELINE_REFRESH_MS));
    expect(shown()).toBe(30);
    expect(container.querySelector('li:last-child')?.getAttribute('data-seq')).toBe('30');
  });

  it("shows a run's final event at once, with everything before it", () => {
    const events = Array.from({ length: 5 }, (_, i) => event(i + 1, `e${i + 1}`));
    const final: RunEvent = {
      ...event(6, ''),
      type: 'run.succeeded',
      payload: { outputHash: 'a'.repeat(64) },
    };
    act(() => root.render(<Timeline events={events.slice(0, 1)} labelOf={(id) => id} />));
    act(() => root.render(<Timeline events={events} labelOf={(id) => id} />));
    act(() => root.render(<Timeline events={[...events, final]} labelOf={(id) => id} />));
    expect([...container.querySelectorAll('li')].map((li) => li.dataset.seq)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ]);
  });
});

describe('JsonView', () => {
  it('shows JSON as text and says when the server masked it', () => {
    act(() => root.render(<JsonView label="Output" value={{ html: hostile }} masked />));
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('pre')?.textContent).toContain(hostile);
    expect(container.textContent).toContain('masked for your role');
  });
});

import { describe, expect, it } from 'vitest';
import { createNewsFeed, type NoticeSource } from './workspace-news';

type Handlers = Parameters<NoticeSource>[0];

/** A scripted source and hand-driven timers. */
function scripted() {
  const streams: Array<{ handlers: Handlers; closed: boolean }> = [];
  const source: NoticeSource = (handlers) => {
    const entry = { handlers, closed: false };
    streams.push(entry);
    return () => {
      entry.closed = true;
    };
  };
  const timers = new Map<number, { run: () => void; ms: number }>();
  let nextId = 1;
  const feed = createNewsFeed(source, {
    lingerMs: 10,
    retryMs: 100,
    maxRetryMs: 400,
    setTimer: (run, ms) => {
      const id = nextId++;
      timers.set(id, { run, ms });
      return id;
    },
    clearTimer: (id) => timers.delete(id as number),
  });
  const fire = () => {
    const pending = [...timers.entries()];
    timers.clear();
    for (const [, timer] of pending) timer.run();
    return pending.map(([, t]) => t.ms);
  };
  return { feed, streams, fire, open: () => streams.filter((s) => !s.closed) };
}

describe('createNewsFeed', () => {
  it('opens one stream for all followers and tells each only its kind', () => {
    const { feed, streams } = scripted();
    const heard: string[] = [];
    feed.follow('runs', () => heard.push('runs list'));
    feed.follow('alerts', () => heard.push('alerts page'));
    feed.follow('runs', () => heard.push('run badge'));
    expect(streams).toHaveLength(1);
    streams[0]?.handlers.onData({ type: 'changed', kind: 'alerts' });
    expect(heard).toEqual(['alerts page']);
    heard.length = 0;
    streams[0]?.handlers.onData({ type: 'changed', kind: 'runs' });
    expect(heard).toEqual(['runs list', 'run badge']);
  });

  it('tells everyone to refetch on each connection', () => {
    const { feed, streams } = scripted();
    const heard: string[] = [];
    feed.follow('runs', () => heard.push('runs'));
    feed.follow('approvals', () => heard.push('approvals'));
    streams[0]?.handlers.onData({ type: 'ready', kinds: ['runs', 'approvals'] });
    expect(heard.sort()).toEqual(['approvals', 'runs']);
    expect(feed.connected).toBe(true);
  });

  it('opens the stream again after it ended, waiting longer each time, and resets on ready', () => {
    const { feed, streams, fire } = scripted();
    feed.follow('runs', () => {});
    streams[0]?.handlers.onError(new Error('role changed'));
    expect(streams[0]?.closed).toBe(true);
    expect(feed.connected).toBe(false);
    expect(fire()).toEqual([100]);
    expect(streams).toHaveLength(2);
    streams[1]?.handlers.onComplete();
    expect(fire()).toEqual([200]);
    streams[2]?.handlers.onData({ type: 'ready', kinds: ['runs'] });
    streams[2]?.handlers.onError(new Error('restart'));
    expect(fire()).toEqual([100]);
    expect(streams).toHaveLength(4);
  });

  it('keeps the stream while followers come and go, and closes it after the last one left', () => {
    const { feed, streams, fire, open } = scripted();
    const stopA = feed.follow('runs', () => {});
    stopA();
    const stopB = feed.follow('alerts', () => {});
    expect(streams).toHaveLength(1);
    expect(open()).toHaveLength(1);
    stopB();
    fire();
    expect(open()).toHaveLength(0);
    feed.follow('runs', () => {});
    expect(open()).toHaveLength(1);
  });

  it('does not open a stream again when nobody follows any more', () => {
    const { feed, streams, fire } = scripted();
    const stop = feed.follow('runs', () => {});
    stop();
    streams[0]?.handlers.onError(new Error('gone'));
    fire();
    expect(streams).toHaveLength(1);
  });
});

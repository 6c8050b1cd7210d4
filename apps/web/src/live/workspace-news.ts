// The page's one `workspace.news` stream: lists say which kind of news they follow (runs, approvals,
// alerts) and are told when it changes. The stream opens with the first follower and closes shortly
// after the last one leaves (switching pages keeps it). Each (re)connection tells every follower to
// refetch, since notices may have been missed while disconnected. A stream the server ends (a role
// change, a restart) is opened again after a growing pause; the lists' fallback poll covers the gap.
import type { RouterOutputs } from '../api/contract';
import { liveApi } from './client';

/** What the server sends: `ready` on each connection, then `changed` per kind. */
export type WorkspaceNotice = RouterOutputs['workspace']['news'] extends AsyncIterable<infer T> ? T : never;
export type NewsKind = 'runs' | 'approvals' | 'alerts';

/** Opens the stream; returns the function that ends it. */
export type NoticeSource = (handlers: {
  onData: (notice: WorkspaceNotice) => void;
  onError: (error: unknown) => void;
  onComplete: () => void;
}) => () => void;

export interface NewsFeedOptions {
  /** How long the stream stays open after the last follower left. */
  lingerMs?: number;
  /** First pause before opening a stream again after it ended; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Timers (tests pass their own). */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface NewsFeed {
  /** Calls `listener` whenever `kind` changed (or may have: on each connection); returns the unfollow. */
  follow(kind: NewsKind, listener: () => void): () => void;
  /** Whether a stream is open and has said `ready`. */
  readonly connected: boolean;
}

/**
 * @example
 * const feed = createNewsFeed(trpcNotices);
 * const unfollow = feed.follow('runs', () => refetchRuns());
 */
export function createNewsFeed(source: NoticeSource, options: NewsFeedOptions = {}): NewsFeed {
  const lingerMs = options.lingerMs ?? 2_000;
  const firstRetryMs = options.retryMs ?? 2_000;
  const maxRetryMs = options.maxRetryMs ?? 60_000;
  const setTimer = options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const clearTimer =
    options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  const followers = new Map<NewsKind, Set<() => void>>();
  let close: (() => void) | null = null;
  let connected = false;
  let retryMs = firstRetryMs;
  let retryTimer: unknown = null;
  let lingerTimer: unknown = null;

  const count = () => [...followers.values()].reduce((n, set) => n + set.size, 0);
  const tell = (kinds: readonly NewsKind[]) => {
    for (const kind of kinds) for (const listener of [...(followers.get(kind) ?? [])]) listener();
  };

  const open = () => {
    if (close || count() === 0) return;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      connected = false;
      close?.();
      close = null;
      if (count() === 0) return;
      retryTimer = setTimer(() => {
        retryTimer = null;
        open();
      }, retryMs);
      retryMs = Math.min(retryMs * 2, maxRetryMs);
    };
    close = source({
      onData: (notice) => {
        if (ended) return;
        if (notice.type === 'ready') {
          connected = true;
          retryMs = firstRetryMs;
          tell(['runs', 'approvals', 'alerts']);
        } else tell([notice.kind]);
      },
      onError: end,
      onComplete: end,
    });
  };

  const shut = () => {
    lingerTimer = null;
    if (count() > 0) return;
    if (retryTimer !== null) clearTimer(retryTimer);
    retryTimer = null;
    connected = false;
    close?.();
    close = null;
  };

  return {
    follow(kind, listener) {
      const set = followers.get(kind) ?? new Set();
      followers.set(kind, set.add(listener));
      if (lingerTimer !== null) clearTimer(lingerTimer);
      lingerTimer = null;
      if (retryTimer === null) open();
      return () => {
        set.delete(listener);
        if (count() === 0 && lingerTimer === null) lingerTimer = setTimer(shut, lingerMs);
      };
    },
    get connected() {
      return connected;
    },
  };
}

/** `workspace.news` over the live client (server-sent events). */
const trpcNotices: NoticeSource = (handlers) => {
  const subscription = liveApi.workspace.news.subscribe(undefined, {
    onData: (notice) => handlers.onData(notice),
    onError: (error) => handlers.onError(error),
    onComplete: () => handlers.onComplete(),
  });
  return () => subscription.unsubscribe();
};

/** The page's feed. */
export const workspaceNews: NewsFeed = createNewsFeed(trpcNotices);

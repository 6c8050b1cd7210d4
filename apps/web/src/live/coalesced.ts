// Refetching a list when told, without piling up: at most one load in flight, and however many
// requests arrive meanwhile, one more load after it (which then sees all of them).

export interface Coalesced {
  /** Asks for a load: now when none is in flight, else once after the current one. */
  request(): void;
  /** Whether a load is in flight. */
  readonly busy: boolean;
}

/**
 * @example
 * const refetch = coalesced(() => api.run.list.query(filters).then(setRows));
 * feed.follow('runs', refetch.request);
 */
export function coalesced(load: () => Promise<unknown>): Coalesced {
  let busy = false;
  let queued = false;
  const start = () => {
    busy = true;
    queued = false;
    load()
      .catch(() => undefined)
      .finally(() => {
        busy = false;
        if (queued) start();
      });
  };
  return {
    request() {
      if (busy) queued = true;
      else start();
    },
    get busy() {
      return busy;
    },
  };
}

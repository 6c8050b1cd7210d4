import { useSyncExternalStore } from 'react';

/** What the workflows section shows for one workflow. */
export type WorkflowView = 'editor' | 'ownership' | 'versions' | 'diff';

/** Where the app is, read from the URL hash so that a reload or a shared link lands on the same view. */
export interface Route {
  /** The first path segment (`workflows`, `runs`...); `workflows` when the hash names none. */
  section: string;
  /** `#/<section>/<id>`: the chosen item of the section. */
  workflowId: string | null;
  view: WorkflowView;
  /** `#/workflows/<id>/diff/<from>/<to>`: the versions compared (`to` may be `draft`). */
  diff: { from: number; to: number | 'draft' } | null;
  /** Every segment after the section, decoded. */
  rest: string[];
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function getHash(): string {
  return window.location.hash;
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/**
 * Parses `#/<section>/<id>/<view>/...`; anything unreadable is the workflows section with nothing
 * chosen.
 *
 * @example
 * parseRoute('#/workflows/wf_1/diff/1/draft') // { section: 'workflows', workflowId: 'wf_1', view: 'diff', diff: { from: 1, to: 'draft' }, ... }
 */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').split(/[?#]/)[0] ?? '';
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decode);
  const none: Route = { section: 'workflows', workflowId: null, view: 'editor', diff: null, rest: [] };
  if (parts.some((p) => p === null)) return none;
  const [section, id, view, from, to] = parts.filter((p): p is string => p !== null);
  if (!section) return none;
  const rest = parts.slice(1).filter((p): p is string => p !== null);
  const base: Route = { ...none, section, workflowId: id ?? null, rest };
  if (section !== 'workflows' || !id) return base;
  if (view === 'ownership' || view === 'versions') return { ...base, view };
  if (view === 'diff') {
    const fromNumber = Number(from);
    const toValue = to === 'draft' ? 'draft' : Number(to);
    if (
      Number.isInteger(fromNumber) &&
      fromNumber > 0 &&
      (toValue === 'draft' || (Number.isInteger(toValue) && toValue > 0))
    )
      return { ...base, view: 'diff', diff: { from: fromNumber, to: toValue } };
    return { ...base, view: 'versions' };
  }
  return base;
}

/** The link to one workflow (its editor, or one of its views), for `href`s. */
export function workflowHref(id: string, view: Exclude<WorkflowView, 'diff'> = 'editor'): string {
  const base = `#/workflows/${encodeURIComponent(id)}`;
  return view === 'editor' ? base : `${base}/${view}`;
}

/** The link to the visual diff of two versions of a workflow. */
export function diffHref(id: string, from: number, to: number | 'draft'): string {
  return `#/workflows/${encodeURIComponent(id)}/diff/${from}/${to}`;
}

export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  return parseRoute(hash);
}

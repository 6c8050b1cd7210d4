import { useSyncExternalStore } from 'react';

/** Where the app is, read from the URL hash so that a reload or a shared link lands on the same view. */
export interface Route {
  section: 'workflows';
  workflowId: string | null;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function getHash(): string {
  return window.location.hash;
}

/** Parses `#/workflows/<id>`; anything else is the workflows section with nothing chosen. */
export function parseRoute(hash: string): Route {
  const match = /^#\/workflows\/([^/?#]+)/.exec(hash);
  if (!match?.[1]) return { section: 'workflows', workflowId: null };
  try {
    return { section: 'workflows', workflowId: decodeURIComponent(match[1]) };
  } catch {
    return { section: 'workflows', workflowId: null };
  }
}

/** The link to one workflow, for `href`s. */
export function workflowHref(id: string): string {
  return `#/workflows/${encodeURIComponent(id)}`;
}

export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  return parseRoute(hash);
}

// Section routing: the URL hash's first segment picks the section (`#/runs/...`); each section parses
// the rest of the path itself, so a reload or a shared link lands on the same view.
import { useSyncExternalStore } from 'react';

/** The sections of the top navigation, in the order they are shown. */
export const SECTIONS = ['workflows', 'runs', 'approvals', 'audit', 'alerts', 'settings'] as const;
export type Section = (typeof SECTIONS)[number];

/** Where the app is: a section and the decoded path segments after it. */
export interface SectionRoute {
  section: Section;
  rest: string[];
}

function isSection(value: string | undefined): value is Section {
  return SECTIONS.some((section) => section === value);
}

/**
 * Parses `#/<section>/<a>/<b>`; an unknown or missing section is `workflows`. A segment that is not
 * valid percent-encoding ends the path there.
 *
 * @example
 * parseSectionRoute('#/runs/r1/steps/classify') // { section: 'runs', rest: ['r1', 'steps', 'classify'] }
 */
export function parseSectionRoute(hash: string): SectionRoute {
  const path = hash.replace(/^#\/?/, '').split(/[?#]/)[0] ?? '';
  const [first, ...others] = path.split('/');
  if (!isSection(first)) return { section: 'workflows', rest: [] };
  const rest: string[] = [];
  for (const segment of others) {
    if (segment === '') continue;
    try {
      rest.push(decodeURIComponent(segment));
    } catch {
      break;
    }
  }
  return { section: first, rest };
}

/**
 * The `href` of a place in the app; each segment is percent-encoded.
 *
 * @example
 * sectionHref('runs', runId, 'steps', nodeId) // '#/runs/<runId>/steps/<nodeId>'
 */
export function sectionHref(section: Section, ...rest: string[]): string {
  return `#/${[section, ...rest.map(encodeURIComponent)].join('/')}`;
}

/** Goes to a place in the app (adds a history entry). */
export function navigate(section: Section, ...rest: string[]): void {
  window.location.hash = sectionHref(section, ...rest);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current section route, re-rendering on every hash change. */
export function useSectionRoute(): SectionRoute {
  const hash = useSyncExternalStore(
    subscribe,
    () => window.location.hash,
    () => '',
  );
  return parseSectionRoute(hash);
}

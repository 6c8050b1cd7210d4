import type { ReactNode } from 'react';

/** The node kinds this build draws with their own icon; others get a generic one. */
export type KnownKind =
  'trigger' | 'ai' | 'validator' | 'gate' | 'transform' | 'branch' | 'http' | 'human' | 'subflow' | 'output';

/** What a person reads for each node kind. */
const KIND_TITLES: Record<KnownKind, string> = {
  trigger: 'Trigger',
  ai: 'AI step',
  validator: 'Validator',
  gate: 'Approval',
  transform: 'Transform',
  branch: 'Branch',
  http: 'HTTP',
  human: 'Human task',
  subflow: 'Subflow',
  output: 'Output',
};

/** Drawn on a 16×16 grid with a 1.5 stroke in `currentColor`. */
const KIND_PATHS: Record<KnownKind, ReactNode> = {
  trigger: <path d="M9 1.5 3.5 9H8l-1 5.5L12.5 7H8l1-5.5Z" />,
  ai: (
    <>
      <path d="M7 2.5 8.3 6 11.8 7.3 8.3 8.6 7 12.1 5.7 8.6 2.2 7.3 5.7 6Z" />
      <path d="M12.5 10.5l.5 1.3 1.3.5-1.3.5-.5 1.3-.5-1.3-1.3-.5 1.3-.5Z" />
    </>
  ),
  validator: (
    <>
      <path d="M8 1.8 13 3.6v4c0 3-2.1 5.3-5 6.6-2.9-1.3-5-3.6-5-6.6v-4Z" />
      <path d="m5.8 8 1.6 1.6 3-3.2" />
    </>
  ),
  gate: (
    <>
      <rect x="3" y="7" width="10" height="7" rx="1.5" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2M8 10v1.2" />
    </>
  ),
  transform: <path d="M3 5h8.5M9 2.5 11.5 5 9 7.5M13 11H4.5M7 8.5 4.5 11 7 13.5" />,
  branch: (
    <>
      <circle cx="4.5" cy="3.5" r="1.5" />
      <circle cx="4.5" cy="12.5" r="1.5" />
      <circle cx="11.5" cy="5" r="1.5" />
      <path d="M4.5 5v6M11.5 6.5c0 2.7-2.2 3.8-6.2 4.6" />
    </>
  ),
  http: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M2 8h12M8 2c1.7 1.7 2.5 3.7 2.5 6S9.7 12.3 8 14M8 2C6.3 3.7 5.5 5.7 5.5 8s.8 4.3 2.5 6" />
    </>
  ),
  human: (
    <>
      <circle cx="8" cy="5" r="2.6" />
      <path d="M2.8 14c.6-2.7 2.7-4.3 5.2-4.3s4.6 1.6 5.2 4.3" />
    </>
  ),
  subflow: <path d="M8 2 14 5 8 8 2 5ZM2 8l6 3 6-3M2 11l6 3 6-3" />,
  output: <path d="M3.5 14V2.5M3.5 3h8L9.7 5.8l1.8 2.7h-8" />,
};

const FALLBACK_PATH = <rect x="3" y="3" width="10" height="10" rx="2" />;

function isKnownKind(kind: string): kind is KnownKind {
  return Object.hasOwn(KIND_TITLES, kind);
}

/** The small pictogram of a node kind; decorative, the kind is always also written out. */
export function KindIcon({ kind }: { kind: string }) {
  return (
    <svg
      className="sl-kind-icon"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {isKnownKind(kind) ? KIND_PATHS[kind] : FALLBACK_PATH}
    </svg>
  );
}

/** A title for any kind string the server sends, including kinds this build does not know yet. */
export function kindTitle(kind: string): string {
  return isKnownKind(kind) ? KIND_TITLES[kind] : kind;
}

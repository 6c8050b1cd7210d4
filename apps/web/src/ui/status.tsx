import type { ReactNode } from 'react';

/** A centred message for the loading, empty and error states of a pane. */
export function StatusPane({
  tone,
  title,
  children,
  action,
}: {
  tone: 'loading' | 'empty' | 'error';
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div
      className="sl-status"
      data-tone={tone}
      role={tone === 'error' ? 'alert' : 'status'}
      aria-busy={tone === 'loading' || undefined}
    >
      {tone === 'loading' && <span className="sl-spinner" aria-hidden="true" />}
      <p className="sl-status__title">{title}</p>
      {children !== undefined && <div className="sl-status__body">{children}</div>}
      {action}
    </div>
  );
}

/** A "try again" button for error states. */
export function RetryButton({ onRetry }: { onRetry: () => void }) {
  return (
    <button type="button" className="sl-button" onClick={onRetry}>
      Try again
    </button>
  );
}

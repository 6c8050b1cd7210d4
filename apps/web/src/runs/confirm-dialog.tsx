// A modal question with a confirm and a dismiss button, on the native <dialog> (focus is trapped and
// Escape dismisses it).
import { type ReactNode, useEffect, useId, useRef } from 'react';

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  dismissLabel,
  danger = false,
  busy = false,
  onConfirm,
  onDismiss,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  dismissLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onDismiss: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="sl-dialog" aria-labelledby={titleId} onClose={onDismiss}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm();
        }}
      >
        <h2 id={titleId} className="sl-dialog__title">
          {title}
        </h2>
        <div className="sl-dialog__body">{children}</div>
        <div className="sl-dialog__actions">
          <button type="button" className="sl-button sl-button--quiet" onClick={onDismiss}>
            {dismissLabel}
          </button>
          <button
            type="submit"
            className={`sl-button ${danger ? 'sl-button--danger' : 'sl-button--primary'}`}
            disabled={busy}
          >
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

// The keyboard shortcuts of the editor, as a small panel (toggle with "?").
const SHORTCUTS: Array<[string, string]> = [
  ['Ctrl/⌘ + Z', 'Undo'],
  ['Ctrl/⌘ + Shift + Z, Ctrl + Y', 'Redo'],
  ['Ctrl/⌘ + C', 'Copy the selected steps'],
  ['Ctrl/⌘ + V', 'Paste'],
  ['Ctrl/⌘ + A', 'Select every step'],
  ['Delete, Backspace', 'Delete the selection'],
  ['Shift + drag', 'Select an area'],
  ['Ctrl/⌘ + click', 'Add to the selection'],
  ['Escape', 'Clear the selection'],
  ['?', 'Show or hide this list'],
];

/** The shortcut list. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <section className="sl-shortcuts" aria-labelledby="shortcuts-heading">
      <h2 id="shortcuts-heading" className="sl-panel__title">
        Keyboard shortcuts
      </h2>
      <dl className="sl-shortcuts__list">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="sl-button" onClick={onClose}>
        Close shortcuts
      </button>
    </section>
  );
}

// The palette: every node kind of the registry, grouped by category. Drag one onto the canvas, or
// activate it (click, Enter, Space) to add it in the middle of the view.
import { registry } from '@sluice/nodes';
import type { DragEvent } from 'react';
import { KindIcon } from '../workflows/canvas/kind-icon';
import { PALETTE_MIME } from './editor-canvas';

const CATEGORY_TITLES: Record<string, string> = {
  trigger: 'Start',
  ai: 'AI',
  safety: 'Safety',
  logic: 'Logic',
  integration: 'Integrations',
  human: 'People',
  output: 'Finish',
};

function onDragStart(event: DragEvent<HTMLButtonElement>, kind: string) {
  event.dataTransfer.setData(PALETTE_MIME, kind);
  event.dataTransfer.effectAllowed = 'copy';
}

/** The list of node kinds; `onAdd` adds one at the centre of the canvas. */
export function Palette({ onAdd }: { onAdd: (kind: string) => void }) {
  const categories = [...new Set(registry.map((d) => d.category))];
  return (
    <nav className="sl-palette" aria-label="Node palette">
      <h2 className="sl-panel__title">Add a step</h2>
      {categories.map((category) => (
        <section
          key={category}
          className="sl-palette__group"
          aria-label={CATEGORY_TITLES[category] ?? category}
        >
          <h3 className="sl-palette__heading">{CATEGORY_TITLES[category] ?? category}</h3>
          <ul className="sl-palette__list">
            {registry
              .filter((d) => d.category === category)
              .map((d) => (
                <li key={d.kind}>
                  <button
                    type="button"
                    className="sl-palette__item"
                    data-kind={d.kind}
                    draggable
                    onDragStart={(event) => onDragStart(event, d.kind)}
                    onClick={() => onAdd(d.kind)}
                    aria-label={`Add ${d.title}`}
                    title={d.description}
                  >
                    <span className="sl-node__kind-tile" aria-hidden="true">
                      <KindIcon kind={d.kind} />
                    </span>
                    <span className="sl-palette__name">{d.title}</span>
                  </button>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}

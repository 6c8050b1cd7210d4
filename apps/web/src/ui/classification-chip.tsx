import type { ClassificationLevel } from '../workflows/canvas/to-flow';

/** The data classification a node emits, as a coloured chip; the word carries the meaning, not the colour. */
export function ClassificationChip({ level }: { level: ClassificationLevel }) {
  return (
    <span className="sl-chip" data-classification={level}>
      <span className="sl-visually-hidden">Classification: </span>
      {level}
    </span>
  );
}

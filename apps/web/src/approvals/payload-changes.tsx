// What changed since the previous attempt at a gate (a rerun reached it again with new data): each
// added, removed or changed path of the payload with its old → new value, so the reviewer sees at a
// glance what differs from what was decided before. Values are rendered as text, never as markup.
import { diffPayloads, type PayloadChange, shortValue } from './payload-diff';

const KIND_LABEL: Record<PayloadChange['kind'], string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
};

function Change({ change }: { change: PayloadChange }) {
  return (
    <li data-kind={change.kind}>
      <code>{change.path === '' ? '(the whole payload)' : change.path}</code> {KIND_LABEL[change.kind]}
      {change.kind !== 'added' && (
        <>
          {': '}
          <del aria-label="before">{shortValue(change.before)}</del>
        </>
      )}
      {change.kind === 'changed' && ' → '}
      {change.kind === 'added' && ': '}
      {change.kind !== 'removed' && <ins aria-label="after">{shortValue(change.after)}</ins>}
    </li>
  );
}

/**
 * The differences between the previous attempt's payload and this one, or a line saying there are none.
 *
 * @example
 * <PayloadChanges previous={{ attempt: 1, payload: old }} current={approval.payload} />
 */
export function PayloadChanges({
  previous,
  current,
}: {
  previous: { attempt: number; payload: unknown };
  current: unknown;
}) {
  const diff = diffPayloads(previous.payload, current);
  return (
    <section className="sl-inspector__section" aria-labelledby="payload-changes-heading">
      <h3 id="payload-changes-heading" className="sl-inspector__heading">
        Changed since attempt {previous.attempt}
      </h3>
      {diff.changes.length === 0 ? (
        <p>Nothing: the payload is the same as at attempt {previous.attempt}.</p>
      ) : (
        <ul aria-label={`Changes since attempt ${previous.attempt}`}>
          {diff.changes.map((change) => (
            <Change key={`${change.kind}:${change.path}`} change={change} />
          ))}
        </ul>
      )}
      {diff.truncated && <p>Only the first {diff.changes.length} changes are listed.</p>}
    </section>
  );
}

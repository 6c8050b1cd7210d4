// The ownership map: per stage, its owner, who may trigger, approve, operate and audit, which gates
// guard it and where a person steps in — derived by the compiler from the graph.
import type { OwnershipEntry } from '@sluice/spec';

const list = (items: readonly string[]) => (items.length === 0 ? '—' : items.join(', '));

/** The table of stages and the people responsible for them. */
export function OwnershipMap({ rows }: { rows: readonly OwnershipEntry[] }) {
  if (rows.length === 0) return <p role="status">Nothing to show until the draft compiles.</p>;
  return (
    <div className="sl-ownership">
      <table className="sl-table">
        <caption className="sl-visually-hidden">Ownership map</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Owner</th>
            <th scope="col">May trigger</th>
            <th scope="col">Approves</th>
            <th scope="col">Operates</th>
            <th scope="col">Audits</th>
            <th scope="col">Guarded by</th>
            <th scope="col">Human steps in</th>
            <th scope="col">Data</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.nodeId}>
              <th scope="row">
                {row.label} <span className="sl-table__sub">{row.kind}</span>
              </th>
              <td>{row.owner || '—'}</td>
              <td>{list(row.trigger)}</td>
              <td>{list([...row.approve.roles, ...row.approve.users])}</td>
              <td>{list(row.operate)}</td>
              <td>{list(row.audit)}</td>
              <td>{list(row.guardedBy)}</td>
              <td>
                {row.human
                  ? `${row.human.type === 'approval' ? 'Approval' : 'Task'} by ${list([...row.human.roles, ...row.human.users])}${row.human.quorum > 1 ? ` (${row.human.quorum} needed)` : ''}`
                  : '—'}
              </td>
              <td>
                {row.classification} (cleared for {row.clearance})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

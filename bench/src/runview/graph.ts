// The runview100 workflow: a manual trigger, 100 `http` steps in a chain, and an output. `http` is
// the shipped kind that workers run (not pure), so each step is its own commits (ready, started, its
// log line, succeeded) and the run view sees the run advance step by step. The
// data is public: a loopback API outside the workspace's trusted hosts is cleared for public only. Laid out in rows of ten
// (a snake) so that fitView shows every node and every state change is on screen.

/** How many steps the chain has. */
export const STEPS = 100;
const PER_ROW = 10;

/** The editor graph of the workflow; every step calls `http://<host>/step/<i>` (allow-listed). */
export function chainGraph(host: string) {
  const nodes: Array<Record<string, unknown>> = [
    {
      id: 'start',
      kind: 'trigger',
      typeVersion: 1,
      label: 'Start',
      owner: 'bench',
      classification: 'public',
      position: { x: 0, y: 0 },
      config: { type: 'manual', input: { type: 'object', properties: { n: { type: 'number' } } } },
    },
  ];
  const edges: Array<Record<string, unknown>> = [];
  let previous = 'start';
  for (let i = 1; i <= STEPS + 1; i += 1) {
    const row = Math.floor((i - 1) / PER_ROW);
    const inRow = (i - 1) % PER_ROW;
    const col = row % 2 === 0 ? inRow : PER_ROW - 1 - inRow;
    const position = { x: 300 + col * 300, y: row * 160 };
    const id = i <= STEPS ? `s${i}` : 'done';
    nodes.push(
      i <= STEPS
        ? {
            id,
            kind: 'http',
            typeVersion: 1,
            label: `Call ${i}`,
            owner: 'bench',
            classification: 'public',
            position,
            config: { method: 'GET', url: `http://${host}/step/${i}`, allowHosts: [host] },
          }
        : { id, kind: 'output', typeVersion: 1, label: 'Done', owner: 'bench', position, config: {} },
    );
    edges.push({ id: `e${i}`, source: previous, sourceHandle: 'out', target: id, targetHandle: 'in' });
    previous = id;
  }
  return {
    graphVersion: 1,
    metadata: { name: 'runview100', description: '', ownerTeam: 'bench' },
    access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
    nodes,
    edges,
  };
}

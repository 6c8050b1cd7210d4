// The engine workloads of bench/WORKLOADS.md, as sluice/v1 specs with a webhook trigger that answers
// with the run's output. Every transform does the same small thing: `{ n: input.n + 1 }`.
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { type Spec, workflow } from '@sluice/spec';

export interface Workload {
  id: 'chain10' | 'chain100' | 'fan50';
  spec: Spec;
  /** Steps per run (trigger and output included). */
  steps: number;
  expected: unknown;
}

export const HOOK_SECRET_REF = 'bench-hook';

function base(name: string) {
  return workflow<NodeConfigInputs>(name)
    .owner('bench')
    .trigger({
      type: 'webhook',
      secret: HOOK_SECRET_REF,
      respond: 'result',
      input: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
    });
}

function chain(length: number): Spec {
  let builder = base(`chain${length}`);
  for (let i = 1; i <= length; i++) builder = builder.transform(`t${i}`, { mapping: { n: 'input.n + 1' } });
  return builder.output('out', {}).build(registry);
}

function fan(width: number): Spec {
  let builder = base(`fan${width}`);
  for (let i = 1; i <= width; i++) {
    builder = builder.transform(`t${i}`, { mapping: { n: 'input.n + 1' } }, { after: 'trigger' });
  }
  return builder
    .from(...Array.from({ length: width }, (_, i) => `t${i + 1}`))
    .transform('join', { mapping: { sum: 'sum(inputs.map(x, x.n))' } })
    .output('out', {})
    .build(registry);
}

export function workloads(): Workload[] {
  return [
    { id: 'chain10', spec: chain(10), steps: 12, expected: { n: 10 } },
    { id: 'chain100', spec: chain(100), steps: 102, expected: { n: 100 } },
    { id: 'fan50', spec: fan(50), steps: 53, expected: { sum: 50 } },
  ];
}

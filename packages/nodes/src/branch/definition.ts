import { type Diagnostic, diagnostic, PortName } from '@sluice/spec';
import { z } from 'zod';
import { defineNode } from '../define.js';
import { inPort, passthroughPort } from '../shared/ports.js';
import { CelExpression } from '../shared/schemas.js';

export const BranchCase = z.strictObject({
  port: PortName,
  when: CelExpression,
  label: z.string().max(80).optional(),
});
export type BranchCase = z.infer<typeof BranchCase>;

/** Ordered cases: the first whose condition holds takes the data; otherwise the default port does. */
export const BranchConfig = z.strictObject({
  cases: z.array(BranchCase).min(1, 'add at least one case').max(16),
  defaultPort: PortName.default('default'),
});
export type BranchConfig = z.infer<typeof BranchConfig>;

/** Routes its input to exactly one output port; the paths not taken are skipped. */
export const branchNode = defineNode({
  kind: 'branch',
  typeVersion: 1,
  title: 'Branch',
  description: 'Routes data to one of several outputs by ordered CEL conditions.',
  category: 'logic',
  configSchema: BranchConfig,
  defaultConfig: { cases: [{ port: 'yes', when: 'true' }], defaultPort: 'default' },
  fields: [
    {
      key: 'cases',
      label: 'Cases (first match wins)',
      editor: 'list',
      itemFields: [
        { key: 'port', label: 'Output', editor: 'text' },
        { key: 'when', label: 'When', editor: 'cel' },
        { key: 'label', label: 'Label', editor: 'text' },
      ],
    },
    { key: 'defaultPort', label: 'Otherwise, output', editor: 'text' },
  ],
  classification: { egress: () => false },
  inputs: () => [inPort()],
  outputs(config) {
    const names = [...new Set([...config.cases.map((c) => c.port), config.defaultPort])];
    return names.map((name) =>
      passthroughPort(name, config.cases.find((c) => c.port === name)?.label ?? name),
    );
  },
  expressions: (config) =>
    config.cases.map((c, i) => ({
      path: ['config', 'cases', i, 'when'],
      source: c.when,
      mode: 'condition' as const,
    })),
  checks(node) {
    const out: Diagnostic[] = [];
    const seen = new Set<string>();
    node.config.cases.forEach((c, i) => {
      if (seen.has(c.port) || c.port === node.config.defaultPort) {
        out.push(
          diagnostic('SL704', `the output "${c.port}" is used by two cases`, {
            nodeId: node.id,
            path: ['config', 'cases', i, 'port'],
            hint: 'give each case its own output name',
          }),
        );
      }
      seen.add(c.port);
    });
    return out;
  },
});

import { type Diagnostic, diagnostic } from '../diagnostics.js';
import { type TypedEnvironment, typedEnvironment } from '../expressions/environment.js';
import type { ExpressionLimits } from '../expressions/limits.js';
import { PORT_NAME_PATTERN } from '../ids.js';
import { isAnySchema, type JsonSchema } from '../json-schema.js';
import type { Port } from '../node-definition.js';
import { schemaMismatch } from '../schema-compat.js';
import { type CheckCache, checkSites, siteKey } from './expression-sites.js';
import type { NodeLocal } from './node-local.js';
import type { SchemaKeys } from './schema-keys.js';
import type { Structure, Wire } from './structure.js';

/** The resolved types of one node: what it receives and what each output port carries. */
export interface NodeTypes {
  input: JsonSchema;
  outputs: Record<string, JsonSchema>;
  /** Schema ids (see SchemaKeys) of `outputs`, so joins downstream need no lookups. */
  outputIds: Record<string, number>;
  diagnostics: Diagnostic[];
}

export interface TypingContext {
  keys: SchemaKeys;
  limits: ExpressionLimits;
  checks: CheckCache;
  /** Typed CEL environments of this compiler, by `inputId` or `inputId:outputId`. */
  environments: Map<string, TypedEnvironment>;
  /** Last result per node-local analysis, reused while its input type is unchanged (incremental only). */
  memo: WeakMap<NodeLocal, { inputId: number; types: NodeTypes }> | undefined;
}

/**
 * Propagates port types in topological order: a node's input is the join of its upstream ports; its
 * expressions are type-checked against that input; its outputs are resolved (passthrough ports carry
 * the input, a transform's fields carry their expressions' types). Also checks each edge's source
 * type against the target port (SL301).
 */
export function typeGraph(
  structure: Structure,
  ctx: TypingContext,
): { types: (NodeTypes | undefined)[]; diagnostics: Diagnostic[] } {
  const types: (NodeTypes | undefined)[] = new Array<NodeTypes | undefined>(structure.locals.length);
  const diagnostics: Diagnostic[] = [];
  const anyId = ctx.keys.id({});
  const ids: number[] = [];
  for (const index of structure.order) {
    const local = structure.locals[index];
    if (!local) continue;
    const wires = structure.incoming[index] ?? [];
    ids.length = 0;
    for (const wire of wires) ids.push(types[wire.from]?.outputIds[wire.sourcePort] ?? anyId);
    const inputId = ctx.keys.joinIds(ids);
    const input = ctx.keys.schema(inputId);
    if (local.config !== undefined) checkEdges(local, wires, ids, ctx.keys, diagnostics);
    const memo = ctx.memo?.get(local);
    if (memo && memo.inputId === inputId) {
      types[index] = memo.types;
      continue;
    }
    const result = typeNode(local, input, inputId, ctx);
    ctx.memo?.set(local, { inputId, types: result });
    types[index] = result;
  }
  for (const index of structure.order) {
    for (const d of types[index]?.diagnostics ?? []) diagnostics.push(d);
  }
  return { types, diagnostics };
}

function checkEdges(
  local: NodeLocal,
  wires: readonly Wire[],
  ids: readonly number[],
  keys: SchemaKeys,
  out: Diagnostic[],
): void {
  for (let i = 0; i < wires.length; i++) {
    const wire = wires[i];
    const id = ids[i];
    if (!wire || id === undefined) continue;
    const source = keys.schema(id);
    let port: Port | undefined;
    for (const p of local.inputs) if (p.name === wire.targetPort) port = p;
    if (!port || isAnySchema(port.schema)) continue;
    const mismatch = schemaMismatch(source, port.schema);
    if (!mismatch) continue;
    out.push(
      diagnostic(
        'SL301',
        `"${wire.source}".${wire.sourcePort} does not fit "${wire.target}".${wire.targetPort}: ${mismatch.path ? `${mismatch.path} ` : ''}${mismatch.message}`,
        {
          edgeId: wire.id,
          nodeId: wire.target,
          hint: 'map the data to the expected shape with a transform, or change the port schema',
        },
      ),
    );
  }
}

function environment(
  ctx: TypingContext,
  input: JsonSchema,
  inputId: number,
  output?: JsonSchema,
): [TypedEnvironment, string] {
  const outputId = output ? ctx.keys.id(output) : -1;
  const key = output ? `${inputId}:${outputId}` : String(inputId);
  let typed = ctx.environments.get(key);
  if (!typed) {
    const contentKey = `${ctx.keys.text(inputId)}|${output ? ctx.keys.text(outputId) : '-'}`;
    typed = typedEnvironment(output ? { input, output } : { input }, ctx.limits, contentKey);
    ctx.environments.set(key, typed);
  }
  return [typed, key];
}

function typeNode(local: NodeLocal, input: JsonSchema, inputId: number, ctx: TypingContext): NodeTypes {
  const outputs: Record<string, JsonSchema> = {};
  const outputIds: Record<string, number> = {};
  const result: NodeTypes = { input, outputs, outputIds, diagnostics: [] };
  const { def, config } = local;
  if (!def || config === undefined) return result;
  const nodeId = local.node.id;
  // Inferred expression types are only kept for kinds whose outputs depend on them.
  const inferred = def.infersOutputs ? new Map<string, JsonSchema>() : undefined;
  const { stepSites, compensationSites } = local;
  if (stepSites.length > 0) {
    const [typed, key] = environment(ctx, input, inputId);
    result.diagnostics = checkSites(nodeId, stepSites, typed, key, ctx.limits, ctx.checks, inferred);
  }
  try {
    const ports = inferred
      ? def.outputs(config, { input, typeOf: (path) => inferred.get(siteKey(path)) })
      : local.outputs;
    for (const port of ports) {
      // Names were checked with the node (and again here for ports that depend on types).
      if (!inferred || PORT_NAME_PATTERN.test(port.name)) {
        const id = port.passthrough ? inputId : ctx.keys.id(port.schema);
        outputIds[port.name] = id;
        outputs[port.name] = ctx.keys.schema(id);
      }
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    result.diagnostics.push(
      diagnostic('SL009', `the "${def.kind}" kind failed to type its outputs: ${reason}`, { nodeId }),
    );
  }
  if (compensationSites.length > 0) {
    const first = Object.keys(outputs)[0];
    const output = (first !== undefined ? outputs[first] : undefined) ?? ctx.keys.intern({});
    const [typed, key] = environment(ctx, input, inputId, output);
    result.diagnostics.push(
      ...checkSites(nodeId, compensationSites, typed, key, ctx.limits, ctx.checks, undefined),
    );
  }
  return result;
}

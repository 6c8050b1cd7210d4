import { Classification } from '../classification.js';
import type { GraphEdge, GraphNode } from '../graph.js';
import { isRecord } from '../guards.js';
import { MAX_TIMEOUT_MS } from '../step-options.js';

// Fast paths for the shapes the editor writes every time. Each accepts only what the zod schema
// (graph.ts) accepts and returns what it would return; anything else (including every invalid
// input) falls through to zod, which also writes the diagnostics. A test holds the two together.

const LABELS: ReadonlySet<string> = new Set(Classification.options);

function text(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A GraphEdge when `raw` is a plain, valid one; undefined otherwise. */
export function fastEdge(raw: unknown): GraphEdge | undefined {
  if (!isRecord(raw)) return undefined;
  const { id, source, sourceHandle, target, targetHandle } = raw;
  if (!text(id, 1, 256) || !text(source, 1, 128) || !text(target, 1, 128)) return undefined;
  const edge: GraphEdge = { id, source, target };
  if (sourceHandle !== undefined) {
    if (sourceHandle !== null && !text(sourceHandle, 0, 64)) return undefined;
    edge.sourceHandle = sourceHandle;
  }
  if (targetHandle !== undefined) {
    if (targetHandle !== null && !text(targetHandle, 0, 64)) return undefined;
    edge.targetHandle = targetHandle;
  }
  return edge;
}

/** A GraphNode when `raw` is a plain, valid one without retry or compensation; undefined otherwise. */
export function fastNode(raw: unknown): GraphNode | undefined {
  if (!isRecord(raw)) return undefined;
  const { id, kind, typeVersion, label, owner, position, config } = raw;
  if (!text(id, 1, 128) || !text(kind, 1, 64) || !text(label, 0, 200) || !text(owner, 0, 80))
    return undefined;
  if (typeof typeVersion !== 'number' || !Number.isSafeInteger(typeVersion) || typeVersion < 1)
    return undefined;
  if (!isRecord(position) || !finite(position.x) || !finite(position.y)) return undefined;
  if (
    !isRecord(config) ||
    Object.getPrototypeOf(config) !== Object.prototype ||
    Object.hasOwn(config, '__proto__')
  ) {
    return undefined;
  }
  if (raw.retry !== undefined || raw.compensate !== undefined) return undefined;
  const node: GraphNode = {
    id,
    kind,
    typeVersion,
    label,
    owner,
    position: { x: position.x, y: position.y },
    config: { ...config },
  };
  const { description, classification, clearance, timeoutMs } = raw;
  if (description !== undefined) {
    if (!text(description, 0, 4000)) return undefined;
    node.description = description;
  }
  if (classification !== undefined) {
    if (typeof classification !== 'string' || !LABELS.has(classification)) return undefined;
    node.classification = Classification.parse(classification);
  }
  if (clearance !== undefined) {
    if (typeof clearance !== 'string' || !LABELS.has(clearance)) return undefined;
    node.clearance = Classification.parse(clearance);
  }
  if (timeoutMs !== undefined) {
    if (
      typeof timeoutMs !== 'number' ||
      !Number.isInteger(timeoutMs) ||
      timeoutMs < 100 ||
      timeoutMs > MAX_TIMEOUT_MS
    ) {
      return undefined;
    }
    node.timeoutMs = timeoutMs;
  }
  return node;
}

import type { JsonSchema, Port } from '@sluice/spec';

/** The input port every non-trigger kind has. */
export function inPort(schema: JsonSchema = {}, label = 'Input'): Port {
  return { name: 'in', label, schema };
}

/** An output port with a fixed schema. */
export function outPort(name: string, label: string, schema: JsonSchema): Port {
  return { name, label, schema };
}

/** An output port that carries whatever arrived on the input. */
export function passthroughPort(name: string, label: string): Port {
  return { name, label, schema: {}, passthrough: true };
}

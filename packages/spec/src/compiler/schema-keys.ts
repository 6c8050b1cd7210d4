import type { JsonSchema } from '../json-schema.js';
import { joinSchemas } from '../schema-compat.js';

/**
 * Interns schemas for one compiler: a small id per distinct schema text and one object per id, plus
 * memoised joins, so equal types share one key, one CEL environment and one cache entry. Keys are
 * `JSON.stringify` text: schemas built the same way share a key; equal schemas built in another key
 * order only miss a cache, they are never confused.
 */
export class SchemaKeys {
  #ids = new WeakMap<object, number>();
  #byText = new Map<string, number>();
  #schemas: JsonSchema[] = [];
  #texts: string[] = [];
  #joins = new Map<number, Map<number, number>>();

  /** How many distinct schemas are interned. */
  get size(): number {
    return this.#schemas.length;
  }

  /** The id of a schema (equal text, equal id). */
  id(schema: JsonSchema): number {
    let id = this.#ids.get(schema);
    if (id !== undefined) return id;
    const text = JSON.stringify(schema);
    id = this.#byText.get(text);
    if (id === undefined) {
      id = this.#schemas.length;
      this.#schemas.push(schema);
      this.#texts.push(text);
      this.#byText.set(text, id);
    }
    this.#ids.set(schema, id);
    return id;
  }

  /** The schema's text (its JSON), a content key that outlives this compiler. */
  text(id: number): string {
    return this.#texts[id] ?? '{}';
  }

  /** The canonical object for a schema: equal schemas come back as one object. */
  intern(schema: JsonSchema): JsonSchema {
    return this.#schemas[this.id(schema)] ?? schema;
  }

  /** The schema of an id. */
  schema(id: number): JsonSchema {
    return this.#schemas[id] ?? {};
  }

  /** The id of the join of the schemas arriving on one port (see joinSchemas); `{}` for none. */
  joinIds(ids: readonly number[]): number {
    if (ids.length === 0) return this.id({});
    let acc = ids[0] ?? 0;
    for (let i = 1; i < ids.length; i++) {
      const b = ids[i] ?? acc;
      if (acc === b) continue;
      const low = Math.min(acc, b);
      const high = Math.max(acc, b);
      let row = this.#joins.get(low);
      if (!row) {
        row = new Map();
        this.#joins.set(low, row);
      }
      let joined = row.get(high);
      if (joined === undefined) {
        joined = this.id(joinSchemas(this.schema(acc), this.schema(b)));
        row.set(high, joined);
      }
      acc = joined;
    }
    return acc;
  }
}

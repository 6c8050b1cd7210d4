// What the monitor needs to know of a workflow version's spec: each node's kind and timeout. Versions
// are immutable, so each is read once per process.
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client';

// Only the fields read here; the engine validates whole specs.
const SpecTimeouts = z.object({
  nodes: z.record(
    z.string(),
    z.object({ kind: z.string(), timeoutMs: z.number().int().positive().optional() }),
  ),
});

export interface VersionFacts {
  workflowId: string;
  version: number;
  /** By node id. */
  nodes: Map<string, { kind: string; timeoutMs: number | undefined }>;
}

export class VersionCache {
  readonly #cache = new Map<string, Promise<VersionFacts | null>>();

  constructor(private readonly prisma: PrismaClient) {}

  /** The facts of a version, or null when it does not exist or its spec has no readable nodes. */
  get(versionId: string): Promise<VersionFacts | null> {
    let found = this.#cache.get(versionId);
    if (!found) {
      found = this.#load(versionId);
      this.#cache.set(versionId, found);
      found.catch(() => this.#cache.delete(versionId));
    }
    return found;
  }

  async #load(versionId: string): Promise<VersionFacts | null> {
    const row = await this.prisma.workflowVersion.findUnique({
      where: { id: versionId },
      select: { workflowId: true, version: true, spec: true },
    });
    if (!row) return null;
    const parsed = SpecTimeouts.safeParse(row.spec);
    if (!parsed.success) return null;
    return {
      workflowId: row.workflowId,
      version: row.version,
      nodes: new Map(
        Object.entries(parsed.data.nodes).map(([id, node]) => [
          id,
          { kind: node.kind, timeoutMs: node.timeoutMs },
        ]),
      ),
    };
  }
}

// What a step executes on: the outputs of its upstream steps whose edges carry data (from a step
// that succeeded, on a port it took), in edge order, and the findings that travel with them.
// Outputs a transition has not loaded yet are read from the store, once.
import type { Finding } from '@sluice/spec';
import type { PlanEdge, PlanNode } from '../plan.js';
import type { StepOutput } from '../store.js';
import type { LiveStep } from './advance.js';
import { mergeFindings } from './step-outcome.js';

export interface Inputs {
  inputs: unknown[];
  findings: Finding[];
  /** The edges the inputs came by. */
  sources: PlanEdge[];
}

export class StepInputs {
  constructor(
    private readonly steps: Map<string, LiveStep>,
    private readonly loadOutputs?: (nodeIds: string[]) => Promise<Map<string, StepOutput>>,
  ) {}

  /** A step's inputs, loading what is not in memory. */
  async of(node: PlanNode): Promise<Inputs> {
    const sources = this.#sources(node);
    await this.load(sources.map((edge) => edge.from));
    return this.#gather(sources);
  }

  /**
   * A step's inputs when every one is in memory (always, in a run's first transition), else
   * undefined: no promise, so a chain of pure steps runs without one per step.
   */
  inMemory(node: PlanNode): Inputs | undefined {
    const sources = this.#sources(node);
    for (const edge of sources) if (!this.steps.get(edge.from)?.loaded) return undefined;
    return this.#gather(sources);
  }

  /** Loads the stored outputs (and findings) of those of `nodeIds` not in memory yet. */
  async load(nodeIds: string[]): Promise<void> {
    const missing = [...new Set(nodeIds)].filter((id) => !this.steps.get(id)?.loaded);
    if (missing.length === 0) return;
    if (!this.loadOutputs) throw new Error(`outputs of ${missing.join(', ')} are not loaded`);
    const outputs = await this.loadOutputs(missing);
    for (const id of missing) {
      const step = this.steps.get(id);
      if (!step) continue;
      const stored = outputs.get(id);
      step.output = stored?.output ?? null;
      step.findings = stored?.findings ?? [];
      step.loaded = true;
    }
  }

  #sources(node: PlanNode): PlanEdge[] {
    return node.incoming.filter((edge) => {
      const from = this.steps.get(edge.from);
      return from?.status === 'succeeded' && from.ports.includes(edge.fromPort);
    });
  }

  #gather(sources: PlanEdge[]): Inputs {
    const steps = sources.map((edge) => this.steps.get(edge.from));
    return {
      inputs: steps.map((step) => step?.output ?? null),
      findings: mergeFindings(steps.map((step) => step?.findings)),
      sources,
    };
  }
}

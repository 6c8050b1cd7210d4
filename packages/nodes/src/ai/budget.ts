// The token budget of one AI step: an estimate while the reply streams, the provider's count at the end.
import { StepError } from '../executor.js';
import type { AiBudget } from './config.js';

/** Roughly four characters per token for English text: used only until the provider reports usage. */
const CHARS_PER_TOKEN = 4;

/** A crude, conservative token estimate of a text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Tracks one step's tokens against its budget. While streaming, the output is counted as at least one
 * token per delta (providers stream about one token per chunk) and at least characters / 4.
 *
 * @example
 * const budget = new TokenBudget({ stepTokens: 100 }, 0, estimateTokens(prompt));
 * budget.addDelta(' hello'); // throws TOKEN_BUDGET_EXCEEDED once past 100
 */
export class TokenBudget {
  private deltas = 0;
  private outputChars = 0;

  constructor(
    private readonly budget: AiBudget | undefined,
    private readonly runTokensBefore: number,
    private readonly promptTokens: number,
  ) {}

  /** Refuses to start when the run has already used its budget. */
  checkBeforeCall(): void {
    const limit = this.budget?.runTokens;
    if (limit !== undefined && this.runTokensBefore >= limit) {
      throw exceeded(`the run has already used ${this.runTokensBefore} of its ${limit}-token budget`);
    }
  }

  /** Counts a streamed delta; throws when the step's estimated use passes a budget. */
  addDelta(delta: string): void {
    this.deltas += 1;
    this.outputChars += delta.length;
    this.check(
      this.promptTokens + Math.max(this.deltas, Math.ceil(this.outputChars / CHARS_PER_TOKEN)),
      'about',
    );
  }

  /** Checks the provider's final count. */
  checkFinal(totalTokens: number): void {
    this.check(totalTokens, 'reported');
  }

  private check(stepTokens: number, how: 'about' | 'reported'): void {
    const { stepTokens: stepLimit, runTokens: runLimit } = this.budget ?? {};
    const used = how === 'about' ? `about ${stepTokens}` : `${stepTokens}`;
    if (stepLimit !== undefined && stepTokens > stepLimit) {
      throw exceeded(`the step used ${used} tokens, past its budget of ${stepLimit}`);
    }
    if (runLimit !== undefined && this.runTokensBefore + stepTokens > runLimit) {
      throw exceeded(
        `the run used ${this.runTokensBefore} tokens before this step and this step ${used}, past the run's budget of ${runLimit}`,
      );
    }
  }
}

function exceeded(message: string): StepError {
  return new StepError('TOKEN_BUDGET_EXCEEDED', message, { retryable: false });
}

// Rendering an AI step's system prompt and prompt templates (`{{ CEL }}` parts) over its input.
import { renderTemplate } from '@sluice/spec';
import { type ExecutorContext, StepError } from '../executor.js';

/** The texts sent to the model. */
export interface RenderedPrompt {
  system: string;
  prompt: string;
}

/**
 * Renders both templates over `input`/`inputs`/`findings`, with the compiler's input types. A part that
 * fails to evaluate fails the step (`PROMPT_RENDER_FAILED`), naming the template and the problem.
 *
 * @example
 * renderPrompt({ system: '', prompt: 'Hi {{ input.name }}' }, ctx); // { system: '', prompt: 'Hi Ada' }
 */
export function renderPrompt(
  templates: { system: string; prompt: string },
  ctx: Pick<ExecutorContext, 'input' | 'inputs' | 'findings' | 'types' | 'run'>,
): RenderedPrompt {
  const scope = { input: ctx.input, inputs: ctx.inputs, findings: ctx.findings, run: ctx.run };
  const render = (field: 'system' | 'prompt'): string => {
    const result = renderTemplate(templates[field], scope, { types: ctx.types });
    if (result.ok) return result.value;
    const where = result.problem.range
      ? ` (characters ${result.problem.range.start}–${result.problem.range.end})`
      : '';
    throw new StepError('PROMPT_RENDER_FAILED', `config.${field}${where}: ${result.problem.message}`);
  };
  return { system: render('system'), prompt: render('prompt') };
}

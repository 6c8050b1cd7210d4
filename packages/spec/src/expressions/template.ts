import type { SourceRange } from '../diagnostics.js';

/** A piece of a `{{ }}` template: literal text, or a CEL expression with its place in the template. */
export type TemplatePart = { text: string } | { expression: string; range: SourceRange };

export type TemplateParse =
  { ok: true; parts: TemplatePart[] } | { ok: false; message: string; range: SourceRange };

/**
 * Splits a template into text and `{{ expr }}` parts. `}}` inside a quoted CEL string does not close
 * the part; `\{{` writes a literal `{{`. Ranges point into the template.
 *
 * @example
 * parseTemplate('Hi {{ input.name }}!');
 * // { ok: true, parts: [{ text: 'Hi ' }, { expression: 'input.name', range: { start: 5, end: 15 } }, { text: '!' }] }
 */
export function parseTemplate(template: string, maxParts = 64): TemplateParse {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  let expressions = 0;
  while (i < template.length) {
    if (template.startsWith('\\{{', i)) {
      text += '{{';
      i += 3;
      continue;
    }
    if (!template.startsWith('{{', i)) {
      text += template[i];
      i++;
      continue;
    }
    const open = i;
    const close = findClose(template, i + 2);
    if (close < 0)
      return {
        ok: false,
        message: 'a `{{` is never closed with `}}`',
        range: { start: open, end: template.length },
      };
    const raw = template.slice(open + 2, close);
    const expression = raw.trim();
    if (expression === '')
      return { ok: false, message: 'an empty `{{ }}`', range: { start: open, end: close + 2 } };
    if (++expressions > maxParts) {
      return {
        ok: false,
        message: `more than ${maxParts} \`{{ }}\` parts`,
        range: { start: open, end: close + 2 },
      };
    }
    if (text) parts.push({ text });
    text = '';
    const start = open + 2 + (raw.length - raw.trimStart().length);
    parts.push({ expression, range: { start, end: start + expression.length } });
    i = close + 2;
  }
  if (text) parts.push({ text });
  return { ok: true, parts };
}

/** Index of the `}}` that closes a part starting at `from`, skipping quoted strings; -1 if none. */
function findClose(template: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < template.length; i++) {
    const c = template[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '}' && template[i + 1] === '}') return i;
    else if (c === '{' && template[i + 1] === '{') return -1;
  }
  return -1;
}

/** The expressions of a template, or [] when it has none or does not parse. */
export function templateExpressions(template: string): string[] {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return [];
  return parsed.parts.flatMap((p) => ('expression' in p ? [p.expression] : []));
}

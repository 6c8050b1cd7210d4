import { describe, expect, test } from 'vitest';
import { parseTemplate, templateExpressions } from './template.js';

describe('parseTemplate', () => {
  test.each([
    ['plain text', [{ text: 'plain text' }]],
    ['{{ a }}', [{ expression: 'a', range: { start: 3, end: 4 } }]],
    [
      'x {{a}} y {{ b.c }}',
      [
        { text: 'x ' },
        { expression: 'a', range: { start: 4, end: 5 } },
        { text: ' y ' },
        { expression: 'b.c', range: { start: 13, end: 16 } },
      ],
    ],
    ['{{ "}}" + x }}', [{ expression: '"}}" + x', range: { start: 3, end: 11 } }]],
    ["{{ '\\'}}' }}", [{ expression: "'\\'}}'", range: { start: 3, end: 9 } }]],
    ['\\{{ literal', [{ text: '{{ literal' }]],
  ])('%j', (template, parts) => {
    expect(parseTemplate(template)).toEqual({ ok: true, parts });
  });

  test.each([
    ['{{ open', /never closed/],
    ['{{ a {{ b }}', /never closed/],
    ['{{   }}', /empty/],
  ])('%j is refused', (template, message) => {
    const result = parseTemplate(template);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  test('caps the number of parts', () => {
    expect(parseTemplate('{{a}}{{b}}{{c}}', 2).ok).toBe(false);
  });

  test('templateExpressions lists the expressions', () => {
    expect(templateExpressions('a {{ x }} b {{ y }}')).toEqual(['x', 'y']);
    expect(templateExpressions('{{ broken')).toEqual([]);
  });
});

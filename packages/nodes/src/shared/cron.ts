const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  namesFrom?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

/**
 * Why a five-field cron expression (`minute hour day-of-month month day-of-week`, or a macro such as
 * `@daily`) is invalid, or undefined when it is valid.
 *
 * @example
 * cronProblem('0 9 * * mon-fri'); // undefined
 * cronProblem('61 * * * *'); // 'minute: 61 is outside 0-59'
 */
export function cronProblem(expression: string): string | undefined {
  const text = expression.trim().toLowerCase();
  if (MACROS.has(text)) return undefined;
  const parts = text.split(/\s+/);
  if (parts.length !== 5)
    return `a cron expression has 5 fields (minute hour day month weekday), this one has ${parts.length}`;
  for (let i = 0; i < 5; i++) {
    const spec = FIELDS[i];
    const part = parts[i];
    if (!spec || part === undefined) continue;
    for (const item of part.split(',')) {
      const problem = itemProblem(item, spec);
      if (problem) return `${spec.name}: ${problem}`;
    }
  }
  return undefined;
}

function itemProblem(item: string, spec: FieldSpec): string | undefined {
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined) return `"${item}" has more than one /`;
  if (step !== undefined && !/^\d+$/.test(step)) return `"${step}" is not a step`;
  if (step !== undefined && Number(step) === 0) return 'a step of 0';
  if (range === '*') return undefined;
  const [from = '', to, more] = range.split('-');
  if (more !== undefined) return `"${range}" is not a range`;
  const a = value(from, spec);
  if (a === undefined) return `"${from}" is not a value`;
  if (a < spec.min || a > spec.max) return `${a} is outside ${spec.min}-${spec.max}`;
  if (to === undefined) return undefined;
  const b = value(to, spec);
  if (b === undefined) return `"${to}" is not a value`;
  if (b < spec.min || b > spec.max) return `${b} is outside ${spec.min}-${spec.max}`;
  if (b < a) return `the range ${range} runs backwards`;
  return undefined;
}

function value(token: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const index = spec.names?.indexOf(token) ?? -1;
  return index >= 0 ? index + (spec.namesFrom ?? 0) : undefined;
}

import type { DiagnosticCode } from '../diagnostic-codes.js';
import type { SourceRange } from '../diagnostics.js';
import type { ExpressionLimits } from './limits.js';
import { regexRisk } from './regex-safety.js';

/** The parts of a cel-js AST node the analysis reads. */
interface AstNode {
  op: string;
  args: unknown;
  start?: number;
  end?: number;
}

/** Something the static analysis refuses. */
export interface AstIssue {
  code: Extract<DiagnosticCode, 'SL406' | 'SL409' | 'SL410' | 'SL411'>;
  message: string;
  hint?: string;
  range?: SourceRange;
}

export interface AstAnalysis {
  /** Upper estimate of the work one evaluation does, in value visits. */
  cost: number;
  issue?: AstIssue;
}

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
// String functions scan their receiver; count them as a fixed chunk of work.
const STRING_SCANS = new Set([
  'contains',
  'startsWith',
  'endsWith',
  'matches',
  'indexOf',
  'lastIndexOf',
  'split',
  'join',
  'lowerAscii',
  'upperAscii',
  'trim',
  'substring',
  'json',
  'string',
  'bytes',
]);
const STRING_SCAN_COST = 16;

function isAst(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'op' in value && typeof value.op === 'string';
}

function rangeOf(node: AstNode): SourceRange | undefined {
  return typeof node.start === 'number' && typeof node.end === 'number'
    ? { start: node.start, end: node.end }
    : undefined;
}

/**
 * Static analysis of a parsed expression: refuses nested comprehensions, `cel.bind`, non-literal or
 * risky regular expressions, and estimates the cost of one evaluation assuming every list of the
 * context holds `maxListSize` items (a comprehension costs its body times that; `in` scans a list).
 *
 * @example
 * analyzeAst(env.parse('input.items.all(i, i.qty > 0)').ast, limits).cost; // ~ 5 × maxListSize
 */
export function analyzeAst(root: unknown, limits: ExpressionLimits): AstAnalysis {
  const state: { issue?: AstIssue } = {};
  const cost = visit(root, 0, limits, state);
  if (!state.issue && cost > limits.maxCost) {
    state.issue = {
      code: 'SL410',
      message: `the expression may do about ${Math.round(cost).toLocaleString('en')} steps; the limit is ${limits.maxCost.toLocaleString('en')}`,
      hint: 'avoid scanning a list inside a comprehension (`x in list` inside `all`/`map`); precompute with a transform',
    };
  }
  return state.issue ? { cost, issue: state.issue } : { cost };
}

function visit(
  value: unknown,
  nesting: number,
  limits: ExpressionLimits,
  state: { issue?: AstIssue },
): number {
  if (Array.isArray(value)) {
    let sum = 0;
    for (const item of value) sum += visit(item, nesting, limits, state);
    return sum;
  }
  if (!isAst(value)) return 0;
  const node = value;
  const args = node.args;
  switch (node.op) {
    case 'value':
    case 'id':
      return 1;
    case 'rcall':
      return visitReceiverCall(node, nesting, limits, state);
    case 'call':
      if (Array.isArray(args) && args[0] === 'matches') {
        const callArgs: unknown = args[1];
        checkRegex(node, Array.isArray(callArgs) ? callArgs[1] : undefined, state);
      }
      return 1 + (Array.isArray(args) ? visit(args[1], nesting, limits, state) : 0);
    case 'in':
      return 1 + limits.maxListSize + visit(args, nesting, limits, state);
    default:
      return 1 + visit(args, nesting, limits, state);
  }
}

function visitReceiverCall(
  node: AstNode,
  nesting: number,
  limits: ExpressionLimits,
  state: { issue?: AstIssue },
): number {
  if (!Array.isArray(node.args)) return 1;
  const [name, receiver, callArgs] = node.args;
  const list: unknown[] = Array.isArray(callArgs) ? callArgs : [];
  if (name === 'bind' && isAst(receiver) && receiver.op === 'id' && receiver.args === 'cel') {
    state.issue ??= {
      code: 'SL411',
      message: '`cel.bind` is not available in Sluice expressions',
      hint: 'compute the value in a transform node and read it from `input`',
      range: rangeOf(node),
    };
    return 1;
  }
  if (typeof name === 'string' && COMPREHENSIONS.has(name) && list.length >= 2) {
    if (nesting >= 1) {
      state.issue ??= {
        code: 'SL406',
        message: `\`${name}()\` inside another comprehension: nested loops are not allowed`,
        hint: 'flatten the data in a transform first, or test membership with `in` on a map',
        range: rangeOf(node),
      };
    }
    const receiverCost = visit(receiver, nesting, limits, state);
    const bodyCost = visit(list.slice(1), nesting + 1, limits, state);
    return 1 + receiverCost + limits.maxListSize * (1 + bodyCost);
  }
  if (name === 'matches') checkRegex(node, list[0], state);
  const extra = typeof name === 'string' && STRING_SCANS.has(name) ? STRING_SCAN_COST : 0;
  return 1 + extra + visit(receiver, nesting, limits, state) + visit(list, nesting, limits, state);
}

function checkRegex(node: AstNode, pattern: unknown, state: { issue?: AstIssue }): void {
  if (state.issue) return;
  if (!isAst(pattern) || pattern.op !== 'value' || typeof pattern.args !== 'string') {
    state.issue = {
      code: 'SL409',
      message: '`matches()` needs a literal pattern',
      hint: 'write the regular expression as a string literal so it can be checked before it runs',
      range: rangeOf(node),
    };
    return;
  }
  const risk = regexRisk(pattern.args);
  if (risk) {
    state.issue = {
      code: 'SL409',
      message: `unsafe regular expression: ${risk}`,
      hint: 'remove nested repetition such as (a+)+ and back-references',
      range: rangeOf(pattern),
    };
  }
}

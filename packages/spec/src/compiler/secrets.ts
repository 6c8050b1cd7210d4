import { type Diagnostic, diagnostic, type PathSegment } from '../diagnostics.js';
import { isRecord } from '../guards.js';

// Shapes of credentials that must live in the credential store, not in a workflow.
const SECRET_PATTERNS: readonly [string, RegExp][] = [
  ['an OpenAI or Anthropic API key', /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/],
  ['an AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}/],
  ['a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['a Google API key', /\bAIza[0-9A-Za-z_-]{35}/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a bearer token', /\bBearer\s+(?!\{\{)[A-Za-z0-9._~+/-]{20,}/],
  ['a password in a URL', /\/\/[^/\s:@{}]+:[^/\s@{}]+@/],
];

// One cheap test that every pattern above implies, so most strings are cleared with a single scan.
const MAYBE_SECRET = /sk-|AKIA|gh[pousr]_|xox[abprs]-|AIza|PRIVATE KEY|Bearer\s|\/\/[^/\s]*@/;

const MAX_STRINGS = 2000;

/**
 * Finds literal secrets in a node's config (API keys, tokens, private keys, passwords in URLs): they
 * would be stored in the spec and shown to everyone who can read the workflow (SL203).
 */
export function findSecrets(config: unknown, nodeId: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const path: PathSegment[] = ['config'];
  const budget = { strings: MAX_STRINGS };
  walk(config, path, nodeId, out, budget, 0);
  return out;
}

// The path is one stack, pushed and popped, and copied only when a secret is found.
function walk(
  value: unknown,
  path: PathSegment[],
  nodeId: string,
  out: Diagnostic[],
  budget: { strings: number },
  depth: number,
): void {
  if (typeof value === 'string') {
    if (--budget.strings < 0 || !MAYBE_SECRET.test(value)) return;
    for (const [what, pattern] of SECRET_PATTERNS) {
      if (!pattern.test(value)) continue;
      out.push(
        diagnostic('SL203', `this looks like ${what}; secrets do not belong in a workflow`, {
          nodeId,
          path: [...path],
          hint: 'store it as a credential and reference the credential by name',
        }),
      );
      return;
    }
    return;
  }
  if (typeof value !== 'object' || value === null || depth > 64) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], path, nodeId, out, budget, depth + 1);
      path.pop();
    }
  } else if (isRecord(value)) {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      path.push(key);
      walk(value[key], path, nodeId, out, budget, depth + 1);
      path.pop();
    }
  }
}

/**
 * Every diagnostic the compiler and the expression checker can report. Codes are stable: a code is
 * never reused for another meaning, and tools may match on it. `SL0xx` document, `SL1xx` structure,
 * `SL2xx` configuration, `SL3xx` port types, `SL4xx` expressions, `SL5xx` data classification,
 * `SL6xx` policy and ownership, `SL7xx` checks of one node kind.
 */
export const DIAGNOSTIC_CODES = {
  SL001: {
    name: 'INVALID_DOCUMENT',
    severity: 'error',
    summary: 'The document is not an editor graph: not an object, or metadata/access/lists malformed.',
  },
  SL002: {
    name: 'INVALID_NODE',
    severity: 'error',
    summary:
      'A node entry is malformed (missing position, bad field); it stays as an opaque node so its edges hold.',
  },
  SL003: { name: 'INVALID_EDGE', severity: 'error', summary: 'An edge entry is malformed; it is left out.' },
  SL004: {
    name: 'UNSUPPORTED_VERSION',
    severity: 'error',
    summary: 'The graphVersion or specVersion is one this Sluice cannot read (or upgrade).',
  },
  SL005: {
    name: 'DOCUMENT_TOO_LARGE',
    severity: 'error',
    summary: 'Too many nodes/edges, or a node nests too deeply: refused rather than slowed down.',
  },
  SL009: {
    name: 'INTERNAL_ERROR',
    severity: 'error',
    summary: 'A node kind (or the compiler) failed; the message names it. Never thrown to the caller.',
  },

  SL101: {
    name: 'DANGLING_EDGE',
    severity: 'error',
    summary: 'An edge starts or ends at a node that does not exist.',
  },
  SL102: {
    name: 'UNKNOWN_PORT',
    severity: 'error',
    summary: 'An edge uses a port the node does not have (or does not say which of several).',
  },
  SL103: { name: 'DUPLICATE_NODE_ID', severity: 'error', summary: 'Two nodes share an id.' },
  SL104: {
    name: 'DUPLICATE_EDGE',
    severity: 'error',
    summary: 'An edge id is used twice, or two edges connect the same ports.',
  },
  SL105: { name: 'CYCLE', severity: 'error', summary: 'The graph has a cycle; workflows run forward only.' },
  SL106: {
    name: 'UNREACHABLE_NODE',
    severity: 'warning',
    summary: 'No path leads from the trigger to this node: it never runs.',
  },
  SL107: { name: 'MISSING_TRIGGER', severity: 'error', summary: 'The workflow has no trigger.' },
  SL108: { name: 'MULTIPLE_TRIGGERS', severity: 'error', summary: 'The workflow has more than one trigger.' },
  SL109: { name: 'MISSING_OUTPUT', severity: 'error', summary: 'The workflow has no output node.' },
  SL110: { name: 'UNKNOWN_KIND', severity: 'error', summary: 'The node kind is not in the registry.' },
  SL111: {
    name: 'INVALID_NODE_ID',
    severity: 'error',
    summary: 'The node id is not usable in a spec (letters, digits, _ and -; 64 characters).',
  },
  SL112: { name: 'DEAD_END', severity: 'warning', summary: 'Nothing uses this node’s output.' },
  SL113: { name: 'MISSING_INPUT', severity: 'error', summary: 'Nothing is connected to this node’s input.' },

  SL201: {
    name: 'INVALID_CONFIG',
    severity: 'error',
    summary: 'The node config does not match its kind’s schema (each zod issue at its path).',
  },
  SL202: {
    name: 'UNSUPPORTED_TYPE_VERSION',
    severity: 'error',
    summary: 'The node’s typeVersion is newer than the kind, or has no upgrade path.',
  },
  SL203: {
    name: 'SECRET_IN_CONFIG',
    severity: 'error',
    summary: 'A literal secret (API key, token, private key, password in a URL) in the config.',
  },

  SL301: {
    name: 'PORT_TYPE_MISMATCH',
    severity: 'error',
    summary: 'The data an edge carries does not fit the target port’s schema.',
  },

  SL401: { name: 'EXPRESSION_SYNTAX', severity: 'error', summary: 'The expression does not parse.' },
  SL402: {
    name: 'EXPRESSION_TYPE',
    severity: 'error',
    summary: 'The expression does not type-check against the input (unknown field, no such operator).',
  },
  SL403: {
    name: 'EXPRESSION_UNKNOWN_NAME',
    severity: 'error',
    summary:
      'The expression names a variable other than input, inputs, findings, run (output when compensating).',
  },
  SL404: {
    name: 'EXPRESSION_TOO_LONG',
    severity: 'error',
    summary: 'The expression (or template) is longer than the limit.',
  },
  SL405: {
    name: 'EXPRESSION_TOO_COMPLEX',
    severity: 'error',
    summary: 'The expression nests too deeply or has too many parts (also a caught stack overflow).',
  },
  SL406: {
    name: 'NESTED_COMPREHENSION',
    severity: 'error',
    summary: 'A comprehension (all/exists/map/filter) inside another: refused.',
  },
  SL407: {
    name: 'EXPRESSION_RESULT_TYPE',
    severity: 'error',
    summary: 'A condition does not produce a bool.',
  },
  SL408: {
    name: 'TEMPLATE_SYNTAX',
    severity: 'error',
    summary: 'A {{ }} template is malformed (unclosed, empty part, too many parts).',
  },
  SL409: {
    name: 'UNSAFE_REGEX',
    severity: 'error',
    summary: 'matches() with a non-literal or catastrophic-backtracking regular expression.',
  },
  SL410: {
    name: 'EXPRESSION_TOO_COSTLY',
    severity: 'error',
    summary: 'The static cost estimate of one evaluation is above the limit.',
  },
  SL411: {
    name: 'EXPRESSION_NOT_ALLOWED',
    severity: 'error',
    summary: 'A CEL feature Sluice does not allow (cel.bind).',
  },
  SL412: {
    name: 'EVALUATION_FAILED',
    severity: 'error',
    summary: 'Evaluation failed at run time (missing field, overflow, division by zero...).',
  },
  SL413: {
    name: 'CONTEXT_LIMIT',
    severity: 'error',
    summary: 'The data handed to an expression breaks a limit (list size, string length, depth).',
  },
  SL414: {
    name: 'RESULT_NOT_JSON',
    severity: 'error',
    summary: 'The result cannot be represented as JSON (int beyond 2^53, NaN, too large).',
  },

  SL501: {
    name: 'CLASSIFICATION_EXCEEDS_CLEARANCE',
    severity: 'error',
    summary: 'An edge carries data labelled above the target node’s clearance.',
  },
  SL502: {
    name: 'DECLASSIFY_WITHOUT_REVIEW',
    severity: 'error',
    summary: 'A gate declassifies data but may approve automatically.',
  },
  SL503: {
    name: 'REDACTION_NOT_GUARANTEED',
    severity: 'error',
    summary: 'A validator claims a lower label but cannot guarantee it (not redacting, no detectors).',
  },
  SL504: {
    name: 'CLASSIFICATION_IGNORED',
    severity: 'warning',
    summary: 'A node declares a label lower than what it receives; the higher label is kept.',
  },
  SL505: {
    name: 'CLEARANCE_ABOVE_POLICY',
    severity: 'error',
    summary: 'An egress node’s clearance is above what the workspace lets leave.',
  },

  SL601: { name: 'MISSING_OWNER', severity: 'error', summary: 'A stage has no owner team.' },
  SL602: {
    name: 'SENSITIVE_EGRESS_WITHOUT_GATE',
    severity: 'error',
    summary: 'Confidential or restricted data leaves the trust boundary with no gate on some path.',
  },
  SL603: { name: 'NO_ONE_CAN_TRIGGER', severity: 'error', summary: 'No role may start the workflow.' },
  SL604: {
    name: 'APPROVER_ROLE_NOT_IN_ACCESS',
    severity: 'warning',
    summary: 'A gate’s approver role is not in the workflow’s access.approve.',
  },
  SL605: { name: 'NO_AUDITOR', severity: 'warning', summary: 'No role may audit the workflow.' },
  SL606: {
    name: 'NO_ONE_CAN_APPROVE',
    severity: 'error',
    summary: 'A gate can ask for review but has no approvers.',
  },
  SL607: {
    name: 'QUORUM_UNREACHABLE',
    severity: 'error',
    summary: 'The quorum cannot be reached with the named approvers.',
  },
  SL608: {
    name: 'GATE_NEVER_REVIEWS',
    severity: 'warning',
    summary: 'A gate never asks a person (every tier is auto or block).',
  },
  SL609: {
    name: 'ESCALATION_TARGET_MISSING',
    severity: 'error',
    summary: 'Expired requests escalate, but to nobody.',
  },

  SL701: { name: 'CREDENTIAL_REQUIRED', severity: 'error', summary: 'The AI provider needs a credential.' },
  SL702: {
    name: 'HOST_NOT_ALLOWED',
    severity: 'error',
    summary: 'An HTTP node calls a host not on its allowHosts.',
  },
  SL703: {
    name: 'DYNAMIC_HOST',
    severity: 'error',
    summary: 'An HTTP URL’s host is computed (or the URL is not http/https).',
  },
  SL704: {
    name: 'DUPLICATE_PORT_NAME',
    severity: 'error',
    summary: 'Two branch cases (or a case and the default) use the same output port.',
  },
  SL705: {
    name: 'INVALID_SCHEDULE',
    severity: 'error',
    summary: 'A schedule trigger’s cron expression or time zone is invalid.',
  },
  SL706: {
    name: 'VALIDATOR_CHECKS_NOTHING',
    severity: 'warning',
    summary: 'A validator checks nothing but size.',
  },
  SL707: { name: 'BASE_URL_REQUIRED', severity: 'error', summary: 'The AI provider needs a base URL.' },
} as const satisfies Record<
  string,
  { name: string; severity: 'error' | 'warning' | 'info'; summary: string }
>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** All codes, in table order. */
export const ALL_DIAGNOSTIC_CODES = Object.keys(DIAGNOSTIC_CODES).filter(isDiagnosticCode);

/** Whether a string is one of the diagnostic codes. */
export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(DIAGNOSTIC_CODES, code);
}

// Renders an http node's request from its templates and CEL mapping: URL values URL-encoded, headers
// checked, the body as JSON. Pure (spec only).
import {
  canonicalJson,
  DEFAULT_EXPRESSION_LIMITS,
  evaluateExpression,
  type ExpressionScope,
  type ExpressionTypes,
  type JsonValue,
  parseTemplate,
  renderTemplate,
} from '@sluice/spec';
import { StepError } from '../executor.js';
import { staticHost } from '../shared/hosts.js';
import type { HttpRequest } from './config.js';

/** A request ready for the guard: an absolute URL, lower-case header names, a JSON body if any. */
export interface RenderedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

const failed = (where: string, message: string) =>
  new StepError('EXPRESSION_FAILED', `${where}: ${message}`, { retryable: false });

const asText = (value: JsonValue): string =>
  typeof value === 'string' ? value : value === null ? '' : canonicalJson(value);

/**
 * Renders a URL template: literal text stays, each `{{ }}` value is percent-encoded, so data can
 * never change the scheme, host or path structure. The host must be literal.
 */
export function renderUrl(
  template: string,
  scope: ExpressionScope,
  types: ExpressionTypes,
  where: string,
): URL {
  const host = staticHost(template);
  if (!host.ok) throw new StepError('HTTP_TARGET_REFUSED', `${where}: ${host.message}`, { retryable: false });
  if (template.length > DEFAULT_EXPRESSION_LIMITS.maxTemplateLength) {
    throw failed(where, 'the URL template is too long');
  }
  const parsed = parseTemplate(template, DEFAULT_EXPRESSION_LIMITS.maxTemplateParts);
  if (!parsed.ok) throw failed(where, parsed.message);
  let out = '';
  for (const part of parsed.parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const result = evaluateExpression(part.expression, scope, { mode: 'value', types });
    if (!result.ok) throw failed(where, result.problem.message);
    const text = asText(result.value);
    if (text === '.' || text === '..') {
      throw failed(where, `{{ ${part.expression} }} is "${text}", which would change the path`);
    }
    out += encodeURIComponent(text);
  }
  let url: URL;
  try {
    url = new URL(out);
  } catch {
    throw failed(where, 'the rendered URL is not a valid URL');
  }
  if (url.hostname !== host.hostname || url.port !== host.port) {
    throw new StepError('HTTP_TARGET_REFUSED', `${where}: the rendered URL changed its host`, {
      retryable: false,
    });
  }
  return url;
}

/** Renders a request (the node's own or its compensation) against a scope. */
export function renderRequest(
  request: Pick<HttpRequest, 'method' | 'url' | 'headers' | 'body'>,
  scope: ExpressionScope,
  types: ExpressionTypes,
  base: string,
): RenderedRequest {
  const url = renderUrl(request.url, scope, types, `${base}url`);
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(request.headers)) {
    const where = `${base}headers.${name}`;
    const result = renderTemplate(template, scope, { types });
    if (!result.ok) throw failed(where, result.problem.message);
    if (/[\r\n\0]/.test(result.value)) {
      throw new StepError('HTTP_BAD_HEADER', `${where}: the value contains a line break or NUL`, {
        retryable: false,
      });
    }
    headers[name.toLowerCase()] = result.value;
  }
  let body: string | undefined;
  if (request.body) {
    const fields: Record<string, JsonValue> = {};
    for (const [field, source] of Object.entries(request.body)) {
      const result = evaluateExpression(source, scope, { mode: 'value', types });
      if (!result.ok) throw failed(`${base}body.${field}`, result.problem.message);
      fields[field] = result.value;
    }
    body = JSON.stringify(fields);
    headers['content-type'] ??= 'application/json';
  }
  return { method: request.method, url, headers, ...(body === undefined ? {} : { body }) };
}

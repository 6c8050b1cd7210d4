import { CredentialRef, JsonSchema } from '@sluice/spec';
import { z } from 'zod';
import { AllowedHost } from '../shared/hosts.js';
import { Mapping, Template } from '../shared/schemas.js';

export const HttpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

const HeaderName = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'an HTTP header name');

/** Headers the executor owns (framing, routing): a config may not set them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
]);

const Headers = z
  .record(HeaderName, Template)
  .superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      if (RESERVED_HEADERS.has(name.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `${name} is set by the executor and may not be configured`,
        });
      }
    }
  })
  .default({});

/** A request: method, URL template, header templates and a JSON body built field by field with CEL. */
export const HttpRequest = z.strictObject({
  method: HttpMethod,
  url: Template.refine((u) => u.trim() !== '', 'the URL is empty'),
  headers: Headers,
  body: Mapping.optional(),
});
export type HttpRequest = z.infer<typeof HttpRequest>;

/**
 * How the credential goes on the wire: header `name`, value `prefix` + the secret. Default:
 * `Authorization: Bearer <secret>`; e.g. `{ name: 'X-Api-Key', prefix: '' }`.
 */
export const CredentialHeader = z.strictObject({
  name: HeaderName.default('Authorization'),
  prefix: z
    .string()
    .max(32)
    .regex(/^[\x21-\x7e ]*$/, 'printable ASCII only')
    .default('Bearer '),
});
export type CredentialHeader = z.infer<typeof CredentialHeader>;

/**
 * Calls an external HTTP API through a credential. Only hosts on `allowHosts` may be called (the
 * executor also refuses private addresses the names resolve to); a compensation request undoes the
 * call on rollback and sees the call's `output`.
 */
export const HttpConfig = z.strictObject({
  method: HttpMethod.default('POST'),
  url: Template.refine((u) => u.trim() !== '', 'the URL is empty'),
  headers: Headers,
  body: Mapping.optional(),
  credential: CredentialRef.optional(),
  credentialHeader: CredentialHeader.optional(),
  allowHosts: z.array(AllowedHost).min(1, 'list the hosts this node may call').max(20),
  responseSchema: JsonSchema.optional(),
  compensation: HttpRequest.optional(),
  limits: z
    .strictObject({
      timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
      maxResponseBytes: z.number().int().min(1).max(50_000_000).default(1_000_000),
      maxRedirects: z.number().int().min(0).max(5).default(0),
    })
    .default({ timeoutMs: 10_000, maxResponseBytes: 1_000_000, maxRedirects: 0 }),
});
export type HttpConfig = z.infer<typeof HttpConfig>;

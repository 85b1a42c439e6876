import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The error answers of every operation, added to the document once from what each route is
 * (authenticated or public, writes, takes a body or a query, names an id in its path, reaches an
 * upstream), so no controller repeats them and none is forgotten. Every 4xx and 5xx answer, the
 * ones routes declare themselves included, gets the one error body schema (`ErrorBody`).
 */

export const ERROR_BODY_SCHEMA = 'ErrorBody';

/** Set by @Public(): the route needs no key, so no 401/429 for a key and no security requirement. */
export const PUBLIC_EXTENSION = 'x-hub-public';
/** Set by @ReachesUpstream(): the route calls the connector's API, so the upstream failures can come back. */
export const UPSTREAM_EXTENSION = 'x-hub-upstream';
/** Set by @ConnectTokenOnly(): only a connect-session token (hubcs_…) may call it. */
export const CONNECT_TOKEN_EXTENSION = 'x-hub-connect-token';

export const SECURITY_SCHEMES = {
  api_key: 'api_key',
  session: 'session_cookie',
  connect: 'connect_token',
} as const;

type Operation = {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: unknown }>;
  security?: Record<string, string[]>[];
  [extension: `x-${string}`]: unknown;
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Methods OpenAPI 3.0 does not know (Nest's @All() lists SEARCH): the hub refuses them anyway (405). */
const NOT_OPENAPI_METHODS = ['search'];

const DEFAULTS = {
  400: 'VALIDATION_FAILED (or INVALID_CURSOR): the body or the query is wrong; message names each field and what to send',
  401:
    'UNAUTHORIZED: no key, a wrong, unknown or revoked one, or an ended session (sign in again with POST /session); ' +
    'API_KEY_EXPIRED: the key is past its expires_at',
  403: 'FORBIDDEN_SCOPE: a read key sent a method other than GET or HEAD; CSRF_TOKEN_INVALID: a write through the session cookie without the X-CSRF-Token header of GET /session',
  404: 'Nothing with that id that this key may see (see the tenant rule); details.code says what was looked for',
  429: 'RATE_LIMITED: the key made HUB_RATE_LIMIT requests in the last minute; TOO_MANY_AUTH_FAILURES: too many wrong keys from this address. Retry-After says when to retry',
  502: 'UPSTREAM_UNAVAILABLE, UPSTREAM_REJECTED, UPSTREAM_MALFORMED_RESPONSE or UPSTREAM_TOO_LARGE: the connected service failed; message says how',
  504: 'UPSTREAM_TIMEOUT: the connected service did not answer within HUB_UPSTREAM_TIMEOUT (the proxy: HUB_PROXY_TIMEOUT)',
} as const;

const CONNECT_401 = 'UNAUTHORIZED: no connect token (send Authorization: Bearer hubcs_…)';
const CONNECT_403 = 'CONNECT_SESSION_SCOPE: a connect token may call only the /connect-sessions/current routes; an API key cannot call these';
const CONNECT_404 = 'CONNECT_SESSION_NOT_FOUND: no connect link with this token';
const CONNECT_410 = 'CONNECT_SESSION_EXPIRED: the link is past its expires_at; CONNECT_SESSION_USED: an account was created with it already';

export function describeErrors(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas[ERROR_BODY_SCHEMA] = errorBodySchema();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of NOT_OPENAPI_METHODS) delete (item as Record<string, unknown>)[method];
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (operation) describeOperation(path, method, operation);
    }
  }
  return document;
}

function describeOperation(path: string, method: (typeof METHODS)[number], op: Operation): void {
  const isPublic = op[PUBLIC_EXTENSION] === true;
  const connectOnly = op[CONNECT_TOKEN_EXTENSION] === true;
  const write = !['get', 'head', 'options'].includes(method);
  const add = (status: number, description: string) => {
    op.responses[status] ??= { description };
  };
  if (connectOnly) {
    op.security = [{ [SECURITY_SCHEMES.connect]: [] }];
    add(401, CONNECT_401);
    add(403, CONNECT_403);
    add(404, CONNECT_404);
    add(410, CONNECT_410);
    add(429, DEFAULTS[429]);
  } else if (isPublic) {
    delete op.security;
  } else {
    // Either the bearer key or the browser session cookie (with X-CSRF-Token on writes).
    op.security = [{ [SECURITY_SCHEMES.api_key]: [] }, { [SECURITY_SCHEMES.session]: [] }];
    add(401, DEFAULTS[401]);
    add(429, DEFAULTS[429]);
    if (write) add(403, DEFAULTS[403]);
    if (/\{[^}]+\}/.test(path) && !path.startsWith('/proxy')) add(404, DEFAULTS[404]);
  }
  const takesInput = op.requestBody !== undefined || (op.parameters ?? []).some((p) => p.in === 'query' || p.in === 'path');
  if (takesInput) add(400, DEFAULTS[400]);
  if (op[UPSTREAM_EXTENSION] === true) {
    add(502, DEFAULTS[502]);
    add(504, DEFAULTS[504]);
  }
  for (const [status, response] of Object.entries(op.responses)) {
    // The exception filter answers every error with this body, whatever a decorator declared.
    if (Number(status) >= 400) {
      response.content = { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_BODY_SCHEMA}` } } };
    }
  }
}

/** The one error body of the hub (common/error-response.ts and the exception filter write it). */
function errorBodySchema() {
  return {
    type: 'object',
    description: 'Every error the hub answers has this shape; details.code is the stable thing to branch on',
    required: ['statusCode', 'error', 'message', 'details'],
    properties: {
      statusCode: { type: 'integer', description: 'The HTTP status again', example: 400 },
      error: { type: 'string', description: 'The HTTP reason phrase', example: 'Bad Request' },
      message: { type: 'string', description: 'What went wrong and what to do about it, for a person; never a secret', example: 'credentials.api_key (API token) is required' },
      details: {
        type: 'object',
        description: 'Machine-readable: code, plus facts that depend on it (errors, fields, hint, existing_account_id, tenant_id …)',
        required: ['code'],
        additionalProperties: true,
        properties: {
          code: { type: 'string', description: 'The hub\'s error code (VALIDATION_FAILED, UNAUTHORIZED, FORBIDDEN_SCOPE, ACCOUNT_NOT_FOUND, …)', example: 'VALIDATION_FAILED' },
          errors: { type: 'array', items: { type: 'string' }, description: 'VALIDATION_FAILED: one line per wrong field' },
          hint: { type: 'string', description: 'What to check, when the connector knows more (UPSTREAM_AUTH_FAILED)' },
        },
      },
    },
  };
}

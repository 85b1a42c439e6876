/**
 * Which writes are audited, and as what: one table keyed by route (`METHOD /controller/handler`
 * path, as declared), read by the interceptor, so no controller carries audit code. Each entry
 * names the action, the target and the facts worth keeping; none ever copies a value from a body
 * or a query, nor anything of an answer but its id (a created key's answer holds the key itself).
 * A write route missing here is still audited, as `request.write` (audited-routes.spec.ts fails
 * until it is added).
 */

/** What an entry may read of one request: parsed JSON body, route params, query, and the answer. */
export interface AuditSubject {
  method: string;
  /** The request path (no query). */
  path: string;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  /** The handler's answer; undefined when it failed or streamed its own answer. */
  result: unknown;
}

export interface AuditedRoute {
  action: string;
  targetType: string | null;
  targetId(subject: AuditSubject): string | null;
  details?(subject: AuditSubject): Record<string, unknown>;
  /** Only these methods are audited (for a route that takes every method: the proxy). */
  methods?: readonly string[];
  /** The handler answers itself with the upstream's status (the proxy), instead of returning a value. */
  passesOn?: boolean;
  /**
   * A public route that finds out who the caller is itself (signing in): the actor is read once the
   * handler ran, and a failed attempt is recorded as `anonymous`.
   */
  actorAfterHandler?: boolean;
}

const param = (name: string) => (s: AuditSubject) => stringField(s.params, name);
const answerId = (s: AuditSubject): string | null => stringField(s.result, 'id');

const ACCOUNT_WRITES: Record<string, AuditedRoute> = {
  'POST /integrated-accounts': {
    action: 'integrated_account.created',
    targetType: 'integrated_account',
    targetId: answerId,
    // From the answer, not the body: only a value the hub accepted is kept.
    details: (s) => ({ integration: stringField(s.result, 'integration') }),
  },
  'POST /integrated-accounts/test-credentials': {
    action: 'credentials.tested',
    targetType: null,
    targetId: () => null,
    // The integration and the organization they opened, from the answer; never a credential.
    details: (s) => ({ integration: stringField(s.result, 'integration'), organization_id: stringField((s.result as { access?: { organization?: unknown } })?.access?.organization, 'id') }),
  },
  'PATCH /integrated-accounts/:id': {
    action: 'integrated_account.updated',
    targetType: 'integrated_account',
    targetId: param('id'),
    // Whether credentials were sent, never what they were.
    details: (s) => ({ credentials_changed: hasField(s.body, 'credentials'), name_changed: hasField(s.body, 'name') }),
  },
  'DELETE /integrated-accounts/:id': { action: 'integrated_account.deleted', targetType: 'integrated_account', targetId: param('id') },
  'POST /integrated-accounts/:id/test': { action: 'integrated_account.tested', targetType: 'integrated_account', targetId: param('id') },
  'PUT /integrated-accounts/:id/seat-prices': {
    action: 'seat_prices.set',
    targetType: 'integrated_account',
    targetId: param('id'),
    details: (s) => ({ currency: stringField(s.result, 'currency') }),
  },
  'POST /integrated-accounts/:id/sync': {
    action: 'sync_run.started',
    targetType: 'integrated_account',
    targetId: param('id'),
    details: (s) => ({ sync_run_id: answerId(s), trigger: 'manual' }),
  },
};

const KEY_WRITES: Record<string, AuditedRoute> = {
  'POST /api-keys': {
    action: 'api_key.created',
    targetType: 'api_key',
    targetId: answerId,
    details: (s) => ({ name: stringField(s.result, 'name'), scope: stringField(s.result, 'scope') }),
  },
  'DELETE /api-keys/:id': { action: 'api_key.revoked', targetType: 'api_key', targetId: param('id') },
};

const SESSION_WRITES: Record<string, AuditedRoute> = {
  'POST /session': {
    action: 'session.created',
    targetType: 'api_key',
    // The key signed in with, from the answer (never the key itself, which is in the body).
    targetId: (s) => stringField((s.result as { key?: unknown } | undefined)?.key, 'id'),
    actorAfterHandler: true,
  },
  'DELETE /session': { action: 'session.ended', targetType: null, targetId: () => null },
};

const CONNECT_WRITES: Record<string, AuditedRoute> = {
  'POST /connect-sessions': {
    action: 'connect_session.created',
    targetType: 'connect_session',
    targetId: answerId,
    details: (s) => ({
      tenant_id: stringField(s.result, 'tenant_id'),
      integrations: Array.isArray((s.result as { integrations?: unknown })?.integrations) ? (s.result as { integrations: string[] }).integrations : null,
      expires_at: stringField(s.result, 'expires_at'),
    }),
  },
  'DELETE /connect-sessions/:id': { action: 'connect_session.revoked', targetType: 'connect_session', targetId: param('id') },
  'POST /connect-sessions/current/test': {
    action: 'credentials.tested',
    targetType: null,
    targetId: () => null,
    details: (s) => ({ integration: stringField(s.result, 'integration'), organization_id: stringField((s.result as { access?: { organization?: unknown } })?.access?.organization, 'id') }),
  },
  'POST /connect-sessions/current/accounts': {
    action: 'connect_session.used',
    targetType: 'integrated_account',
    targetId: answerId,
    details: (s) => ({ integration: stringField(s.result, 'integration') }),
  },
};

const WEBHOOK_WRITES: Record<string, AuditedRoute> = {
  'POST /webhooks': {
    action: 'webhook.created',
    targetType: 'webhook',
    targetId: answerId,
    // The events subscribed to, from the answer; never the URL's query nor the secret.
    details: (s) => ({ events: Array.isArray((s.result as { events?: unknown })?.events) ? (s.result as { events: string[] }).events.slice(0, 50) : null }),
  },
  'PATCH /webhooks/:id': {
    action: 'webhook.updated',
    targetType: 'webhook',
    targetId: param('id'),
    details: (s) => ({ url_changed: hasField(s.body, 'url'), events_changed: hasField(s.body, 'events'), enabled_changed: hasField(s.body, 'enabled') }),
  },
  'DELETE /webhooks/:id': { action: 'webhook.deleted', targetType: 'webhook', targetId: param('id') },
  'POST /webhooks/:id/test': { action: 'webhook.tested', targetType: 'webhook', targetId: param('id') },
  'POST /webhooks/:id/rotate-secret': { action: 'webhook.secret_rotated', targetType: 'webhook', targetId: param('id') },
};

const PROXY_WRITES: Record<string, AuditedRoute> = {
  'ALL /proxy/*path': {
    action: 'proxy.write',
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
    passesOn: true,
    targetType: 'integrated_account',
    targetId: (s) => (typeof s.query.integrated_account_id === 'string' ? s.query.integrated_account_id : null),
    // The upstream path and the names of the query parameters: their values may be personal data.
    details: (s) => ({
      method: s.method,
      path: s.path.replace(/^\/proxy(?=\/|$)/i, '').slice(0, 512) || '/',
      query_keys: Object.keys(s.query).filter((k) => k !== 'integrated_account_id').sort(),
    }),
  },
};

export const AUDITED_ROUTES: Readonly<Record<string, AuditedRoute>> = {
  ...ACCOUNT_WRITES,
  ...KEY_WRITES,
  ...SESSION_WRITES,
  ...CONNECT_WRITES,
  ...WEBHOOK_WRITES,
  ...PROXY_WRITES,
};

/** For a write route nobody added above: still one row, named by the route. */
export function unlistedWrite(route: string): AuditedRoute {
  return { action: 'request.write', targetType: null, targetId: () => null, details: (s) => ({ method: s.method, route }) };
}

/** Every action a row can carry (for the `action` filter's check). */
export const AUDIT_ACTIONS: readonly string[] = [...new Set([...Object.values(AUDITED_ROUTES).map((r) => r.action), 'request.write'])].sort();

function stringField(value: unknown, name: string): string | null {
  const field = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  return typeof field === 'string' ? field.slice(0, 200) : null;
}

function hasField(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[name] !== undefined;
}

import { HttpStatus } from '@nestjs/common';

/**
 * The hub's one error vocabulary. Every failure the hub reports carries one of these codes;
 * the global filter turns the code into an HTTP status and the single error body.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  INVALID_CURSOR: HttpStatus.BAD_REQUEST,
  INVALID_PROXY_PATH: HttpStatus.BAD_REQUEST,
  UNKNOWN_INTEGRATION: HttpStatus.BAD_REQUEST,
  UNAUTHORIZED: HttpStatus.UNAUTHORIZED,
  /** A known API key past its expires_at. */
  API_KEY_EXPIRED: HttpStatus.UNAUTHORIZED,
  /** The key is valid but its scope does not allow this route or method. */
  FORBIDDEN_SCOPE: HttpStatus.FORBIDDEN,
  /**
   * A tenant key asked for what only untenanted keys may do (manage keys, connect into another
   * tenant). Never used for another tenant's objects: those answer 404 as if they did not exist.
   */
  FORBIDDEN_TENANT: HttpStatus.FORBIDDEN,
  API_KEY_NOT_FOUND: HttpStatus.NOT_FOUND,
  /** GET /session without a valid browser session (no cookie, or it ended). */
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  /** A write through the session cookie without the session's X-CSRF-Token header, or with another one. */
  CSRF_TOKEN_INVALID: HttpStatus.FORBIDDEN,
  /** A connect-session token (hubcs_…) on a route other than /connect-sessions/current…, or an API key on those. */
  CONNECT_SESSION_SCOPE: HttpStatus.FORBIDDEN,
  /** The connect link does not allow this integration. */
  INTEGRATION_NOT_ALLOWED: HttpStatus.FORBIDDEN,
  CONNECT_SESSION_NOT_FOUND: HttpStatus.NOT_FOUND,
  CONNECT_SESSION_EXPIRED: HttpStatus.GONE,
  /** The connect link created its account already. */
  CONNECT_SESSION_USED: HttpStatus.GONE,
  /** Withdrawing a connect link that was used, expired or withdrawn already. */
  CONNECT_SESSION_ENDED: HttpStatus.CONFLICT,
  /** The key made more than HUB_RATE_LIMIT requests in the last minute. */
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  /** Too many failed authentications from this client address; it waits before trying again. */
  TOO_MANY_AUTH_FAILURES: HttpStatus.TOO_MANY_REQUESTS,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  ACCOUNT_NOT_FOUND: HttpStatus.NOT_FOUND,
  /** PATCHed credentials open another organization than the account's. */
  ACCOUNT_ORGANIZATION_MISMATCH: HttpStatus.CONFLICT,
  USER_NOT_FOUND: HttpStatus.NOT_FOUND,
  PERSON_NOT_FOUND: HttpStatus.NOT_FOUND,
  /** A change-feed cursor that points before the retention window (HUB_CHANGES_RETENTION). */
  CHANGES_EXPIRED: HttpStatus.GONE,
  RUN_NOT_FOUND: HttpStatus.NOT_FOUND,
  WEBHOOK_NOT_FOUND: HttpStatus.NOT_FOUND,
  /** A webhook URL that is not http(s), or whose host is (or resolves to) a link-local or cloud-metadata address. */
  WEBHOOK_URL_NOT_ALLOWED: HttpStatus.BAD_REQUEST,
  /** A test message to a disabled webhook endpoint (enable it with PATCH first). */
  WEBHOOK_DISABLED: HttpStatus.CONFLICT,
  /** The organization is connected already (same integration and organization id). */
  ACCOUNT_ALREADY_CONNECTED: HttpStatus.CONFLICT,
  CAPABILITY_NOT_SUPPORTED: HttpStatus.NOT_IMPLEMENTED,
  /** The upstream rejected the stored or submitted credentials. */
  UPSTREAM_AUTH_FAILED: HttpStatus.BAD_REQUEST,
  /** The upstream kept answering 429 after the retries the policy allows. */
  UPSTREAM_RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  /** Connection refused/reset, DNS failure or 5xx after retries. */
  UPSTREAM_UNAVAILABLE: HttpStatus.BAD_GATEWAY,
  UPSTREAM_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
  /** The upstream answered 2xx with a body we could not read (bad JSON, wrong shape). */
  UPSTREAM_MALFORMED_RESPONSE: HttpStatus.BAD_GATEWAY,
  /** An upstream body the hub reads itself was larger than HUB_UPSTREAM_MAX_BODY; not retried. */
  UPSTREAM_TOO_LARGE: HttpStatus.BAD_GATEWAY,
  /** The account already has HUB_PROXY_CONCURRENCY proxied requests in flight. */
  PROXY_BUSY: HttpStatus.TOO_MANY_REQUESTS,
  /** A method the upstream APIs do not use (TRACE, CONNECT, custom verbs) sent to /proxy. */
  PROXY_METHOD_NOT_ALLOWED: HttpStatus.METHOD_NOT_ALLOWED,
  /** The client did not send a proxied request's body within HUB_PROXY_UPLOAD_TIMEOUT. */
  PROXY_UPLOAD_TIMEOUT: HttpStatus.REQUEST_TIMEOUT,
  /** Any other 4xx of the upstream on a read the hub made itself. */
  UPSTREAM_REJECTED: HttpStatus.BAD_GATEWAY,
  /** A sync run took longer than HUB_SYNC_BUDGET and was stopped. */
  SYNC_BUDGET_EXCEEDED: HttpStatus.GATEWAY_TIMEOUT,
  /** The hub stopped while a run was in progress. */
  HUB_RESTARTED: HttpStatus.SERVICE_UNAVAILABLE,
  SYNC_PENDING: HttpStatus.SERVICE_UNAVAILABLE,
  SYNC_FAILED: HttpStatus.SERVICE_UNAVAILABLE,
  /** Stored credentials are sealed with a key this hub process is not configured with. */
  ENCRYPTION_KEY_MISSING: HttpStatus.INTERNAL_SERVER_ERROR,
  /** GET /health/ready: the database (or Redis, in cluster mode) does not answer. */
  NOT_READY: HttpStatus.SERVICE_UNAVAILABLE,
  /** A single hub shutting down (SIGTERM) starts no new sync. */
  SHUTTING_DOWN: HttpStatus.SERVICE_UNAVAILABLE,
  /** A sync run was stopped by its replica's shutdown; it is run again. */
  HUB_SHUTDOWN: HttpStatus.SERVICE_UNAVAILABLE,
  INTERNAL: HttpStatus.INTERNAL_SERVER_ERROR,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export interface HubErrorOptions {
  details?: Record<string, unknown>;
  /** Seconds a client should wait before trying again (sent as Retry-After). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** A failure with a code from the vocabulary. Messages must never contain credentials. */
export class HubError extends Error {
  readonly details?: Record<string, unknown>;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: HubErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HubError';
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return ErrorCodes[this.code];
  }
}

export function isHubError(error: unknown): error is HubError {
  return error instanceof HubError;
}

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
  NOT_FOUND: HttpStatus.NOT_FOUND,
  ACCOUNT_NOT_FOUND: HttpStatus.NOT_FOUND,
  USER_NOT_FOUND: HttpStatus.NOT_FOUND,
  RUN_NOT_FOUND: HttpStatus.NOT_FOUND,
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
  /** Any other 4xx of the upstream on a read the hub made itself. */
  UPSTREAM_REJECTED: HttpStatus.BAD_GATEWAY,
  /** A sync run took longer than HUB_SYNC_BUDGET and was stopped. */
  SYNC_BUDGET_EXCEEDED: HttpStatus.GATEWAY_TIMEOUT,
  /** The hub stopped while a run was in progress. */
  HUB_RESTARTED: HttpStatus.SERVICE_UNAVAILABLE,
  SYNC_PENDING: HttpStatus.SERVICE_UNAVAILABLE,
  SYNC_FAILED: HttpStatus.SERVICE_UNAVAILABLE,
  /** GET /health/ready: the database (or Redis, in cluster mode) does not answer. */
  NOT_READY: HttpStatus.SERVICE_UNAVAILABLE,
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

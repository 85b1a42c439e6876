import { HubError } from '../../common/errors';
import { redact } from '../../common/redaction';

/** What an upstream answered, reduced to what the error classification needs. */
export interface UpstreamFailure {
  service: string;
  status: number;
  /** The upstream's own error code, when its body has one (JetBrains `code`, Atlassian `errors[].code`). */
  upstreamCode?: string;
  upstreamMessage?: string;
  retryAfterMs?: number | null;
}

/**
 * Statuses worth another try on a read: throttling and server-side trouble. Not 501: "not
 * implemented" says the endpoint does not exist there, and another try gets the same answer.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501);
}

/**
 * The one place upstream failures become hub error codes. Each code has its own HTTP status in
 * API errors and is what a failed sync run records.
 */
export function classifyUpstreamStatus(failure: UpstreamFailure): HubError {
  const { service, status } = failure;
  // Upstream text enters the hub here: an upstream may quote the key it was sent ("failed for
  // key=…"), so it is redacted with the credentials of the account in play before anything sees it.
  const upstreamCode = redact(failure.upstreamCode);
  const upstreamMessage = redact(failure.upstreamMessage);
  const details = { upstream_status: status, ...(upstreamCode ? { upstream_code: upstreamCode } : {}) };
  const said = upstreamMessage ? `: ${upstreamMessage}` : '';
  if (status === 401 || status === 403) {
    return new HubError('UPSTREAM_AUTH_FAILED', `${service} rejected the credentials (${status}${upstreamCode ? ` ${upstreamCode}` : ''})${said}`, { details });
  }
  if (status === 429) {
    const seconds = failure.retryAfterMs ? Math.ceil(failure.retryAfterMs / 1000) : undefined;
    return new HubError('UPSTREAM_RATE_LIMITED', `${service} is rate limiting requests (429); retries were exhausted`, {
      details,
      retryAfterSeconds: seconds ?? 30,
    });
  }
  if (status === 408) return new HubError('UPSTREAM_TIMEOUT', `${service} timed out (408)`, { details });
  if (status >= 500) return new HubError('UPSTREAM_UNAVAILABLE', `${service} failed with ${status}${said}`, { details });
  return new HubError('UPSTREAM_REJECTED', `${service} refused the request with ${status}${said}`, { details });
}

/**
 * undici refuses a header value with a line break or a character outside Latin-1 before sending
 * anything: the same request would fail the same way, so it is never retried.
 */
export function isRetryableNetworkError(error: unknown): boolean {
  return (error as { code?: string })?.code !== 'UND_ERR_INVALID_ARG';
}

/** Network-level failures: refused, reset, DNS, TLS, and our own timeout. */
export function classifyNetworkError(service: string, error: unknown): HubError {
  const name = (error as Error)?.name;
  const code = (error as { code?: string })?.code;
  if (code === 'UND_ERR_INVALID_ARG') {
    return new HubError(
      'VALIDATION_FAILED',
      `The request to ${service} could not be sent (${(error as Error).message}): a header value, usually a credential, holds a line break or a ` +
        'non-ASCII character. Replace the credentials (PATCH /integrated-accounts/{id}) with the value copied in full.',
      { details: { reason: code } },
    );
  }
  if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new HubError('UPSTREAM_TIMEOUT', `${service} did not answer in time`, { details: { reason: code ?? name } });
  }
  return new HubError('UPSTREAM_UNAVAILABLE', `${service} could not be reached (${code ?? name ?? 'network error'})`, {
    details: { reason: code ?? name },
  });
}

/**
 * An upstream body as JSON (undefined when empty), or UPSTREAM_MALFORMED_RESPONSE naming `where`.
 * The one decoder for upstream bodies, on the main thread or in a worker.
 */
export function readJsonBody(service: string, body: ArrayBuffer, where: string): unknown {
  try {
    return body.byteLength ? JSON.parse(Buffer.from(body).toString('utf8')) : undefined;
  } catch {
    throw malformed(service, `invalid JSON from ${where}`);
  }
}

export function malformed(service: string, what: string): HubError {
  return new HubError('UPSTREAM_MALFORMED_RESPONSE', `${service} sent a response the hub could not read: ${what}`);
}

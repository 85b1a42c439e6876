import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent, Dispatcher, request } from 'undici';
import { HubError } from '../../common/errors';
import type { HubConfig } from '../../config/hub-config';
import { HUB_CONFIG } from '../../config/config.token';
import type { RunScope } from '../connector.contract';
import { ConcurrencyGate } from './concurrency-gate';
import { readCappedBody } from './body-cap';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRateLimitReset, parseRetryAfter, retryDelay, RetryPolicy } from './retry-policy';
import { redact } from '../../common/redaction';
import { UpstreamTelemetry } from './upstream-telemetry';
import { classifyNetworkError, classifyUpstreamStatus, isRetryableNetworkError, isRetryableStatus, readJsonBody } from './upstream-errors';

export interface JsonRequest {
  /** Name of the upstream in messages, e.g. "JetBrains". */
  service: string;
  url: string;
  headers: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: unknown;
  /** Reads are retried; a write passes false so it is sent exactly once. */
  retry?: boolean;
  gate?: ConcurrencyGate;
  run?: RunScope;
  /** Reads the upstream's error code and message from an error body. */
  describeError?: (body: unknown) => { code?: string; message?: string };
}

export interface JsonResponse<T> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
}

export interface ForwardRequest {
  url: string;
  method: string;
  headers: Record<string, string | string[]>;
  body: Readable | null;
  /** Aborts the upstream request, before or after its headers: the client left or the deadline passed. */
  signal: AbortSignal;
}

export interface ForwardResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
}

/** How long shutdown lets proxied transfers finish before cutting them. */
const PROXY_DRAIN_MS = 2_000;

/**
 * The hub's HTTP client for upstream APIs: keep-alive connections, a per-request timeout, retries
 * with backoff for reads, and one classification of failures. Connectors use it and never talk
 * HTTP themselves, so every connector gets the same behaviour under a hostile upstream.
 *
 * Two connection pools: one for what the hub reads itself (syncs, credential tests, live reads)
 * and one for proxied traffic, so clients holding every proxy connection (slow downloads, a
 * burst) cannot make a sync or a `POST /test` wait for a free socket.
 */
@Injectable()
export class UpstreamHttp implements OnModuleDestroy {
  private readonly logger = new Logger('UpstreamHttp');
  private readonly agent: Agent;
  private readonly proxyAgent: Agent;
  readonly policy: RetryPolicy;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly telemetry: UpstreamTelemetry,
  ) {
    this.agent = new Agent({ connections: 64, keepAliveTimeout: 10_000, pipelining: 1 });
    this.proxyAgent = new Agent({ connections: 64, keepAliveTimeout: 10_000, pipelining: 1 });
    this.policy = { ...DEFAULT_RETRY_POLICY, retryAfterCapMs: config.retryAfterCapMs };
  }

  async onModuleDestroy(): Promise<void> {
    // close() waits for requests in flight; a proxied download may be long, so it gets a short
    // grace and is then cut. Shutdown must never wait on a client.
    const drained = this.proxyAgent.close();
    const timer = setTimeout(() => void this.proxyAgent.destroy().catch(() => undefined), PROXY_DRAIN_MS);
    await Promise.all([this.agent.close(), drained.catch(() => undefined)]);
    clearTimeout(timer);
  }

  /**
   * The proxy pool's sockets across origins: `running` counts requests holding one. After every
   * client has left it must fall to 0; a request nobody reads would stay here for good.
   */
  proxyPoolStats(): { connected: number; free: number; pending: number; running: number } {
    const total = { connected: 0, free: 0, pending: 0, running: 0 };
    // An Agent keeps one Pool per origin (connections > 1), hence PoolStats.
    for (const pool of Object.values(this.proxyAgent.stats) as Partial<Record<keyof typeof total, number>>[]) {
      for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += pool[key] ?? 0;
    }
    return total;
  }

  async json<T>(req: JsonRequest): Promise<JsonResponse<T>> {
    const response = await this.bytes(req);
    // Malformed JSON is not retried: the same answer would come back.
    return { ...response, body: readJsonBody(req.service, response.body, redactUrl(req.url)) as T };
  }

  /**
   * A successful answer's body as bytes, for a caller that decodes it elsewhere (a worker thread,
   * say). Same retries, gate and classification as `json()`; the gate slot is released before the
   * caller decodes, so decoding never holds back the next request.
   */
  async bytes(req: JsonRequest): Promise<JsonResponse<ArrayBuffer>> {
    const retry = req.retry ?? (req.method ?? 'GET') === 'GET';
    const maxAttempts = retry ? this.policy.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      throwIfBudgetSpent(req);
      const sentAt = performance.now();
      const outcome = await this.attempt(req);
      this.telemetry.emit({ kind: 'attempt', service: req.service, outcome: attemptOutcome(outcome), durationMs: performance.now() - sentAt });
      if (outcome.ok) {
        req.gate?.grow();
        req.run?.reportRequest();
        return outcome.response;
      }
      const { error, retryAfterMs, throttled } = outcome;
      if (throttled) req.gate?.shrink();
      if (!outcome.retryable || attempt >= maxAttempts) throw error;
      const delay = retryDelay(this.policy, attempt, retryAfterMs);
      const reason = `${error.code}: ${error.message}`;
      this.logger.warn(
        redact(
          `retry ${attempt}/${maxAttempts - 1} of ${req.method ?? 'GET'} ${redactUrl(req.url)} after ${reason}; waiting ${delay} ms` +
            (retryAfterMs !== null && retryAfterMs !== undefined ? ' (Retry-After)' : ''),
        ),
      );
      req.run?.reportRetry(reason);
      this.telemetry.emit({ kind: 'retry', service: req.service, reason: error.code });
      await sleep(delay, req.run?.signal);
    }
  }

  private async attempt(
    req: JsonRequest,
  ): Promise<{ ok: true; response: JsonResponse<ArrayBuffer> } | { ok: false; error: HubError; retryable: boolean; retryAfterMs?: number | null; throttled?: boolean }> {
    const send = async () => {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(req.url, {
          method: req.method ?? 'GET',
          headers: { accept: 'application/json', ...req.headers, ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
          dispatcher: this.agent,
          signal: req.run?.signal
            ? AbortSignal.any([AbortSignal.timeout(this.config.upstreamTimeoutMs), req.run.signal])
            : AbortSignal.timeout(this.config.upstreamTimeoutMs),
        });
      } catch (error) {
        throwIfBudgetSpent(req);
        return { ok: false as const, error: classifyNetworkError(req.service, error), retryable: isRetryableNetworkError(error) };
      }
      let body: ArrayBuffer;
      try {
        body = await readCappedBody(response.body, response.headers['content-length'], this.config.upstreamMaxBodyBytes, req.service, redactUrl(req.url));
      } catch (error) {
        if (!(error instanceof HubError)) return { ok: false as const, error: classifyNetworkError(req.service, error), retryable: true };
        // Too large is not retried: the same answer would come back, and reading it again costs as
        // much. An oversized error page still gets its status classified (and retried if a 5xx).
        if (response.statusCode >= 200 && response.statusCode < 300) return { ok: false as const, error, retryable: false };
        body = new ArrayBuffer(0);
      }
      if (response.statusCode >= 200 && response.statusCode < 300) {
        return { ok: true as const, response: { status: response.statusCode, headers: response.headers, body } };
      }
      let parsed: unknown;
      try {
        parsed = readJsonBody(req.service, body, redactUrl(req.url));
      } catch {
        parsed = undefined; // an error page that is not JSON still gets its status classified
      }
      const described = req.describeError?.(parsed) ?? {};
      // Retry-After first; a 429 without it may still say when the limit resets.
      const retryAfterMs =
        parseRetryAfter(response.headers['retry-after'], this.policy.retryAfterCapMs) ??
        (response.statusCode === 429 ? parseRateLimitReset(response.headers['x-ratelimit-reset'], this.policy.retryAfterCapMs) : null);
      const error = classifyUpstreamStatus({
        service: req.service,
        status: response.statusCode,
        upstreamCode: described.code,
        upstreamMessage: described.message,
        retryAfterMs,
      });
      return { ok: false as const, error, retryable: isRetryableStatus(response.statusCode), retryAfterMs, throttled: response.statusCode === 429 };
    };
    return req.gate ? req.gate.run(send) : send();
  }

  /**
   * One request passed through as is: never retried, body streamed both ways, on the proxy's own
   * pool. The caller has already fixed the URL to the connector's base URL, and owns `signal`
   * (client gone, total deadline); the idle timeouts below only catch a silent upstream sooner.
   */
  async forward(req: ForwardRequest, service: string): Promise<ForwardResponse> {
    try {
      const response = await request(req.url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body ?? undefined,
        signal: req.signal,
        dispatcher: this.proxyAgent,
        headersTimeout: this.config.upstreamTimeoutMs,
        bodyTimeout: this.config.upstreamTimeoutMs,
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      // Aborted by the caller (client gone, a proxy deadline): its reason says which.
      if (req.signal.aborted && req.signal.reason instanceof HubError) throw req.signal.reason;
      throw classifyNetworkError(service, error);
    }
  }
}

/** An attempt's label: the status the upstream answered, else the hub error code of why it did not. */
function attemptOutcome(outcome: { ok: true; response: { status: number } } | { ok: false; error: HubError }): string {
  if (outcome.ok) return String(outcome.response.status);
  const status = outcome.error.details?.upstream_status;
  return typeof status === 'number' ? String(status) : outcome.error.code;
}

/** Upstream URLs carry no secrets in this hub, but query values can hold emails: keep the path only. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  const keys = [...new Set(parsed.searchParams.keys())];
  const shown = keys.map((k) => (k === 'page' || k === 'perPage' || k === 'assigned' ? `${k}=${parsed.searchParams.get(k)}` : `${k}=…`));
  return parsed.pathname + (shown.length ? `?${shown.join('&')}` : '');
}

/** Waits, but wakes early when the run's budget runs out so a long Retry-After cannot outlive it. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function throwIfBudgetSpent(req: JsonRequest): void {
  if (req.run?.signal?.aborted) {
    throw new HubError('SYNC_BUDGET_EXCEEDED', `The sync ran out of its time budget while reading ${req.service}; it is stopped and the previous data is kept.`);
  }
}

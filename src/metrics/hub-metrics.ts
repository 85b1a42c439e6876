import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { hostname } from 'node:os';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { UpstreamEvent, UpstreamTelemetry } from '../connector-kit/http/upstream-telemetry';
import { AUTH_REFUSED, AuthRefusedEvent } from '../auth/auth-events';
import { PROXY_EXCHANGED, ProxyExchangedEvent } from '../proxy/proxy-events';
import { SYNC_FINISHED, SyncFinishedEvent } from '../sync/sync-events';
import { SYNC_QUEUE, SyncQueue } from '../sync/sync-queue';
import { methodLabel } from './labels';

/** A queue that does not answer within this leaves its depth out of one scrape rather than hang it. */
const QUEUE_DEPTH_TIMEOUT_MS = 1_000;

/**
 * The hub's Prometheus metrics, in a registry of its own (several hubs in one test process must not
 * share prom-client's global one). Every series carries `replica`, so a cluster's replicas are
 * told apart when one Prometheus scrapes them all. Labels are bounded sets chosen here (status,
 * integration id, upstream name, HTTP method, hub error code): never an account id, a customer code,
 * a URL or a credential.
 */
@Injectable()
export class HubMetrics implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  readonly replica: string;
  private unsubscribe?: () => void;

  private readonly syncRuns = new Counter({
    name: 'hub_sync_runs_total',
    help: 'Sync runs finished on this replica, by integration, status and error code (empty when succeeded)',
    labelNames: ['integration', 'status', 'code'],
    registers: [this.registry],
  });
  private readonly syncDuration = new Histogram({
    name: 'hub_sync_run_duration_seconds',
    help: 'Duration of finished sync runs, from start (or queueing, when never started) to end',
    labelNames: ['integration', 'status'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  private readonly upstreamRequests = new Counter({
    name: 'hub_upstream_requests_total',
    help: "Attempts of the hub's own upstream reads (syncs, credential tests, live reads), by upstream and outcome (HTTP status, or the hub error code when there was no answer)",
    labelNames: ['service', 'outcome'],
    registers: [this.registry],
  });
  private readonly upstreamDuration = new Histogram({
    name: 'hub_upstream_request_duration_seconds',
    help: "Duration of one attempt of the hub's own upstream reads (a wait for the account's request slots included)",
    labelNames: ['service'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly upstreamRetries = new Counter({
    name: 'hub_upstream_retries_total',
    help: 'Upstream reads tried again, by upstream and reason (the hub error code of the failed attempt)',
    labelNames: ['service', 'reason'],
    registers: [this.registry],
  });
  private readonly proxyRequests = new Counter({
    name: 'hub_proxy_requests_total',
    help: 'Proxied requests, by integration, method and the status the client got (0: the connection closed before an answer)',
    labelNames: ['integration', 'method', 'status'],
    registers: [this.registry],
  });
  private readonly proxyDuration = new Histogram({
    name: 'hub_proxy_request_duration_seconds',
    help: 'Duration of proxied requests, until the last byte was relayed',
    labelNames: ['integration', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  private readonly authRefused = new Counter({
    name: 'hub_auth_refused_total',
    help: 'Failed authentications (a wrong, unknown, revoked or expired key or session): refused (401), or locked_out (429: the address made too many)',
    labelNames: ['result'],
    registers: [this.registry],
  });

  constructor(
    @Inject(HUB_CONFIG) config: HubConfig,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    private readonly telemetry: UpstreamTelemetry,
  ) {
    this.replica = config.replicaId ?? `${hostname()}:${process.pid}`;
    this.registry.setDefaultLabels({ replica: this.replica });
    const syncQueue = this.queue;
    new Gauge({
      name: 'hub_sync_queue_jobs',
      help: 'Sync jobs in the queue, by state: the embedded queue of this replica, or the BullMQ queue the cluster shares (the same on every replica)',
      labelNames: ['driver', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const depth = await withTimeout(syncQueue.depth(), QUEUE_DEPTH_TIMEOUT_MS).catch(() => null);
        if (!depth) return;
        for (const [state, count] of Object.entries(depth.jobs)) this.set({ driver: depth.driver, state }, count);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_' });
  }

  onModuleInit(): void {
    this.unsubscribe = this.telemetry.subscribe((event) => this.onUpstream(event));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  @OnEvent(SYNC_FINISHED)
  onSyncFinished(event: SyncFinishedEvent): void {
    this.syncRuns.inc({ integration: event.integration, status: event.status, code: event.code ?? '' });
    this.syncDuration.observe({ integration: event.integration, status: event.status }, event.durationMs / 1000);
  }

  @OnEvent(AUTH_REFUSED)
  onAuthRefused(event: AuthRefusedEvent): void {
    this.authRefused.inc({ result: event.result });
  }

  @OnEvent(PROXY_EXCHANGED)
  onProxyExchanged(event: ProxyExchangedEvent): void {
    const status = String(event.status);
    this.proxyRequests.inc({ integration: event.integration, method: methodLabel(event.method), status });
    this.proxyDuration.observe({ integration: event.integration, status }, event.durationMs / 1000);
  }

  private onUpstream(event: UpstreamEvent): void {
    if (event.kind === 'attempt') {
      this.upstreamRequests.inc({ service: event.service, outcome: event.outcome });
      this.upstreamDuration.observe({ service: event.service }, event.durationMs / 1000);
    } else {
      this.upstreamRetries.inc({ service: event.service, reason: event.reason });
    }
  }

  /** The text exposition format, and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

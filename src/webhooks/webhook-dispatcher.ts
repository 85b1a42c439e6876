import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { WebhookEndpointsRepository } from '../store/webhook-endpoints.repository';
import { DueDelivery, WebhookOutboxRepository } from '../store/webhook-outbox.repository';
import { OutboxWriter } from './outbox-writer';
import { DELIVERY_TIMEOUT_MS, send } from './webhook-sender';
import { privateTargetsAllowed } from './webhook-target';
import { SigningSecrets } from './signing-secrets';

/** How often the outbox is looked at when nothing woke the dispatcher (other replicas' writes, retries, a restart). */
const POLL_MS = 500;
/** A claim outlives the longest attempt by far, so a live replica never loses one mid-send; a dead one's expires. */
const LEASE_MS = DELIVERY_TIMEOUT_MS * 6;
/** Sends in flight per endpoint (each to a different account's line), and in all. */
const PER_ENDPOINT = 4;
const IN_ALL = 32;
/** An endpoint failing everything for this long is disabled. */
export const FAILING_DISABLES_AFTER_MS = 24 * 3_600_000;
/** Delivered and given-up rows are kept this long for GET /webhooks/:id/deliveries. */
const KEEP_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Sends the outbox: claims due deliveries (a lease, so among replicas one sends each), signs and
 * POSTs them, and records the outcome: delivered, retried on HUB_WEBHOOK_RETRY_SCHEDULE (same
 * webhook-id), or given up. 410 Gone, or 24 h of nothing but failures, disables the endpoint.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly inFlight = new Map<string, number>();
  private inFlightTotal = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private lastPrune = 0;
  private readonly sends = new Set<Promise<void>>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly outbox: WebhookOutboxRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly secrets: SigningSecrets,
    writer: OutboxWriter,
  ) {
    writer.onWritten(() => this.wake());
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    // Sends in flight finish (at most DELIVERY_TIMEOUT_MS) so their outcome is recorded, not retried twice.
    await Promise.allSettled([...this.sends]);
  }

  /** Looks at the outbox now (once more after the current look, if one is under way). */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick()
      .catch((error) => this.logger.error(`webhook dispatch failed: ${(error as Error).message}`))
      .finally(() => {
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async tick(): Promise<void> {
    await this.outbox.settleRuns();
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      await this.outbox.prune(new Date(Date.now() - KEEP_MS).toISOString());
    }
    if (this.inFlightTotal >= IN_ALL) return;
    const now = new Date();
    for (const due of await this.outbox.due(now.toISOString(), IN_ALL * 2)) {
      if (this.stopped || this.inFlightTotal >= IN_ALL) return;
      const line = `${due.endpoint_id} ${due.account_key}`;
      if (this.inFlight.has(line) || (this.inFlight.get(due.endpoint_id) ?? 0) >= PER_ENDPOINT) continue;
      if (!(await this.outbox.claim(due.endpoint_id, due.message_id, now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString()))) continue;
      this.inFlight.set(line, 1);
      this.inFlight.set(due.endpoint_id, (this.inFlight.get(due.endpoint_id) ?? 0) + 1);
      this.inFlightTotal++;
      const sending = this.deliver(due)
        .catch((error) => this.logger.error(`webhook ${due.message_id} to ${due.endpoint_id}: ${(error as Error).message}`))
        .finally(() => {
          this.inFlight.delete(line);
          const left = (this.inFlight.get(due.endpoint_id) ?? 1) - 1;
          if (left > 0) this.inFlight.set(due.endpoint_id, left);
          else this.inFlight.delete(due.endpoint_id);
          this.inFlightTotal--;
          this.sends.delete(sending);
          // The next message of this line may be due now.
          this.wake();
        });
      this.sends.add(sending);
    }
  }

  private async deliver(due: DueDelivery): Promise<void> {
    const endpoint = await this.endpoints.findById(due.endpoint_id);
    if (!endpoint || endpoint.enabled !== 1) return this.release(due);
    const at = new Date();
    const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
    const headers = {
      'webhook-id': due.message_id,
      'webhook-timestamp': String(timestamp.getTime() / 1000),
      'webhook-signature': this.secrets.signature(endpoint, due.message_id, timestamp, due.body),
    };
    const result = await send(new URL(due.url), headers, due.body, { privateAllowed: privateTargetsAllowed(this.config.webhookPrivateTargets, endpoint.tenant_id) });
    const attempts = due.attempts + 1;
    const base = { attempts, last_status_code: result.status, last_error: result.error, last_attempt_at: at.toISOString() };
    if (result.error === null) {
      await this.outbox.recordAttempt(due.endpoint_id, due.message_id, { ...base, status: 'delivered', next_attempt_at: null });
      await this.endpoints.markSucceeding(due.endpoint_id);
      return;
    }
    if (result.status === 410) {
      await this.outbox.recordAttempt(due.endpoint_id, due.message_id, { ...base, status: 'failed', next_attempt_at: null });
      await this.disable(due.endpoint_id, `The endpoint answered 410 Gone at ${at.toISOString()}: the hub stopped sending to it. PATCH it with "enabled": true to resume.`);
      return;
    }
    const wait = this.config.webhookRetryScheduleMs[attempts - 1];
    await this.outbox.recordAttempt(due.endpoint_id, due.message_id, {
      ...base,
      status: wait === undefined ? 'failed' : 'pending',
      next_attempt_at: wait === undefined ? null : new Date(at.getTime() + wait).toISOString(),
    });
    const failingSince = await this.endpoints.markFailing(due.endpoint_id, at.toISOString());
    if (at.getTime() - Date.parse(failingSince) >= FAILING_DISABLES_AFTER_MS) {
      await this.disable(due.endpoint_id, `Every delivery since ${failingSince} failed (the last: ${result.error}); the hub stopped sending. Fix the receiver, then PATCH it with "enabled": true.`);
    }
  }

  /** Gives a claimed delivery back untouched (its endpoint was disabled or deleted meanwhile). */
  private async release(due: DueDelivery): Promise<void> {
    await this.outbox.release(due.endpoint_id, due.message_id);
  }

  private async disable(endpointId: string, reason: string): Promise<void> {
    if (await this.endpoints.disable(endpointId, reason, new Date().toISOString())) this.logger.warn(`webhook endpoint ${endpointId} disabled: ${reason}`);
  }
}

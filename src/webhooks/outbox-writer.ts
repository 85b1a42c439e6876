import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { WebhookEndpointsRepository } from '../store/webhook-endpoints.repository';
import { WebhookMessageRow, WebhookOutboxRepository } from '../store/webhook-outbox.repository';
import { subscribes } from './webhook-events';

export interface OutgoingEvent {
  type: string;
  /** When it happened (the payload's `timestamp`). */
  timestamp: string;
  /** Built by the caller from named fields only: never a credential or remote_data. */
  data: Record<string, unknown>;
  accountId?: string | null;
  /**
   * The tenant of the account it is about (null: none, or no account). Endpoints of a tenant get
   * only their tenant's events; endpoints without tenant get every event (see receives()).
   */
  tenantId: string | null;
  /** Set for a sync's events: deliverable once that run succeeded. */
  syncRunId?: string | null;
}

let counter = 0;

/**
 * Message ids that increase in the order this process writes them (timestamp, then a counter for
 * messages of the same millisecond, then randomness against other replicas): deliveries of one
 * (endpoint, account) go in id order, so a sync's changes arrive in feed order.
 */
export function messageId(now = Date.now()): string {
  counter = (counter + 1) % 0x100000000;
  return `msg_${now.toString(16).padStart(12, '0')}${counter.toString(16).padStart(8, '0')}${randomBytes(6).toString('hex')}`;
}

/** An endpoint's subscription: the event types it takes and its tenant (null: every tenant's). */
export interface Subscription {
  id: string;
  events: string[];
  tenantId: string | null;
}

/** Whether `subscription` takes `event`: a type it subscribes to, and its own tenant's (or it has none). */
export function receives(subscription: Subscription, event: Pick<OutgoingEvent, 'type' | 'tenantId'>): boolean {
  return subscribes(subscription.events, event.type) && (subscription.tenantId === null || subscription.tenantId === event.tenantId);
}

/** Writes events into the outbox, one delivery per subscribed endpoint, and wakes the dispatcher. */
@Injectable()
export class OutboxWriter {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly outbox: WebhookOutboxRepository,
  ) {}

  /** The enabled endpoints with their subscriptions, read once for a batch of events. */
  async subscriptions(): Promise<Subscription[]> {
    return (await this.endpoints.enabled()).map((e) => ({ id: e.id, events: JSON.parse(e.events) as string[], tenantId: e.tenant_id }));
  }

  /** Writes `events` (one transaction); to `onlyEndpoint`, or else every enabled endpoint subscribed. */
  async write(events: OutgoingEvent[], options: { onlyEndpoint?: string; subscriptions?: Subscription[] } = {}): Promise<string[]> {
    const subscriptions = options.onlyEndpoint ? null : (options.subscriptions ?? (await this.subscriptions()));
    const items: { message: WebhookMessageRow; endpointIds: string[] }[] = [];
    for (const event of events) {
      const endpointIds = subscriptions ? subscriptions.filter((s) => receives(s, event)).map((s) => s.id) : [options.onlyEndpoint!];
      // Nobody listens: nothing to keep.
      if (endpointIds.length === 0) continue;
      items.push({
        message: {
          id: messageId(),
          tenant_id: event.tenantId,
          account_id: event.accountId ?? null,
          sync_run_id: event.syncRunId ?? null,
          type: event.type,
          body: JSON.stringify({ type: event.type, timestamp: event.timestamp, data: withTenant(event) }),
          created_at: new Date().toISOString(),
        },
        endpointIds,
      });
    }
    await this.outbox.enqueue(items);
    if (items.length) for (const wake of this.listeners) wake();
    return items.map((i) => i.message.id);
  }

  /** For the dispatcher: called after new messages were written. */
  onWritten(wake: () => void): void {
    this.listeners.add(wake);
  }
}

/**
 * An account's event says whose it is: `tenant_id` beside `integrated_account_id` (null for an
 * account without tenant), so an endpoint without tenant, which hears every tenant, can tell them apart.
 */
function withTenant(event: OutgoingEvent): unknown {
  return event.accountId ? { ...(event.data as Record<string, unknown>), tenant_id: event.tenantId } : event.data;
}

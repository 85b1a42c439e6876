import { Inject, Injectable } from '@nestjs/common';
import type { HubDatabase } from './database';
import { HUB_DATABASE } from './database.token';
import type { ChangesTable, WebhookDeliveriesTable, WebhookMessagesTable } from './schema';

export type WebhookMessageRow = WebhookMessagesTable;
export type WebhookDeliveryRow = WebhookDeliveriesTable;

/** A due delivery with what sending it needs. */
export interface DueDelivery {
  endpoint_id: string;
  message_id: string;
  account_key: string;
  attempts: number;
  url: string;
  body: string;
}

/** Rows per INSERT: well under both databases' bound-parameter limits. */
const INSERT_BATCH = 200;

/**
 * The webhook outbox: messages and their deliveries to endpoints. A delivery is sent by the one
 * replica that claims it (a lease in claimed_until); the deliveries of one (endpoint, account) go
 * one at a time, in message order.
 */
@Injectable()
export class WebhookOutboxRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  /** Messages and their deliveries, in one transaction: a message is never stored without them. */
  async enqueue(items: { message: WebhookMessageRow; endpointIds: string[] }[]): Promise<void> {
    if (items.length === 0) return;
    const deliveries: WebhookDeliveryRow[] = items.flatMap(({ message, endpointIds }) =>
      endpointIds.map((endpointId) => ({
        endpoint_id: endpointId,
        message_id: message.id,
        account_key: message.account_id ?? '',
        status: 'pending',
        attempts: 0,
        next_attempt_at: message.created_at,
        claimed_until: null,
        last_status_code: null,
        last_error: null,
        last_attempt_at: null,
        created_at: message.created_at,
      })),
    );
    await this.db.transaction().execute(async (trx) => {
      const messages = items.map((i) => i.message);
      for (let i = 0; i < messages.length; i += INSERT_BATCH) await trx.insertInto('webhook_messages').values(messages.slice(i, i + INSERT_BATCH)).execute();
      for (let i = 0; i < deliveries.length; i += INSERT_BATCH) await trx.insertInto('webhook_deliveries').values(deliveries.slice(i, i + INSERT_BATCH)).execute();
    });
  }

  /** The change-feed rows one run wrote, by number, in batches. */
  async changesOfRun(accountId: string, runId: string, afterSeq: number, limit: number): Promise<ChangesTable[]> {
    return this.db
      .selectFrom('changes')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('sync_run_id', '=', runId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /**
   * Messages of runs that succeeded become deliverable; those of runs that failed (or whose run is
   * gone with its account before it switched) are dropped. Returns how many were released. With an
   * account: only releases that account's (before it is deleted, taking its run rows along).
   */
  async settleRuns(accountId?: string): Promise<number> {
    let release = this.db.updateTable('webhook_messages').set({ sync_run_id: null });
    if (accountId !== undefined) release = release.where('account_id', '=', accountId);
    const released = await release
      // Driven from the few held messages (index on sync_run_id), not from the run history.
      .where('sync_run_id', 'is not', null)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('sync_runs as r').select('r.id').whereRef('r.id', '=', 'webhook_messages.sync_run_id').where('r.status', '=', 'succeeded')),
      )
      .executeTakeFirst();
    const dead = (eb: any) =>
      eb
        .selectFrom('webhook_messages as m')
        .leftJoin('sync_runs as r', 'r.id', 'm.sync_run_id')
        .select('m.id')
        .where('m.sync_run_id', 'is not', null)
        .where((w: any) => w.or([w('r.id', 'is', null), w('r.status', 'not in', ['queued', 'running', 'succeeded'])]));
    if (accountId !== undefined) return Number(released.numUpdatedRows);
    await this.db.deleteFrom('webhook_deliveries').where('message_id', 'in', dead).execute();
    await this.db.deleteFrom('webhook_messages').where('id', 'in', dead).execute();
    return Number(released.numUpdatedRows);
  }

  /**
   * Deliveries due now: pending, not claimed (or their lease ran out), to an enabled endpoint, of a
   * deliverable message, and first in line of their (endpoint, account).
   */
  async due(now: string, limit: number): Promise<DueDelivery[]> {
    return this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .innerJoin('webhook_messages as m', 'm.id', 'd.message_id')
      .select(['d.endpoint_id', 'd.message_id', 'd.account_key', 'd.attempts', 'e.url', 'm.body'])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('d.claimed_until', 'is', null), eb('d.claimed_until', '<', now)]))
      .where('e.enabled', '=', 1)
      .where('m.sync_run_id', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_deliveries as p')
              .select('p.message_id')
              .whereRef('p.endpoint_id', '=', 'd.endpoint_id')
              .whereRef('p.account_key', '=', 'd.account_key')
              .where('p.status', '=', 'pending')
              .whereRef('p.message_id', '<', 'd.message_id'),
          ),
        ),
      )
      .orderBy('d.message_id')
      .limit(limit)
      .execute();
  }

  /** Takes the lease on a delivery; false when another replica holds it (or it is no longer pending). */
  async claim(endpointId: string, messageId: string, now: string, until: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ claimed_until: until })
      .where('endpoint_id', '=', endpointId)
      .where('message_id', '=', messageId)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records an attempt and releases the lease. */
  async recordAttempt(
    endpointId: string,
    messageId: string,
    outcome: Pick<WebhookDeliveryRow, 'status' | 'attempts' | 'next_attempt_at' | 'last_status_code' | 'last_error' | 'last_attempt_at'>,
  ): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ ...outcome, claimed_until: null })
      .where('endpoint_id', '=', endpointId)
      .where('message_id', '=', messageId)
      .execute();
  }

  /** An endpoint's deliveries, newest message first, with the message's type. */
  async deliveries(endpointId: string, beforeMessageId: string | null, limit: number) {
    let query = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_messages as m', 'm.id', 'd.message_id')
      .select(['d.message_id', 'm.type', 'm.sync_run_id', 'd.status', 'd.attempts', 'd.last_status_code', 'd.last_error', 'd.last_attempt_at', 'd.next_attempt_at', 'd.created_at'])
      .where('d.endpoint_id', '=', endpointId)
      .orderBy('d.message_id', 'desc')
      .limit(limit + 1);
    if (beforeMessageId !== null) query = query.where('d.message_id', '<', beforeMessageId);
    return query.execute();
  }

  /** Drops a lease without counting an attempt. */
  async release(endpointId: string, messageId: string): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set({ claimed_until: null }).where('endpoint_id', '=', endpointId).where('message_id', '=', messageId).execute();
  }

  /** Forgets deliveries settled before `before`, and the messages no delivery refers to anymore. */
  async prune(before: string): Promise<void> {
    await this.db.deleteFrom('webhook_deliveries').where('status', 'in', ['delivered', 'failed']).where('created_at', '<', before).execute();
    await this.db
      .deleteFrom('webhook_messages')
      .where('sync_run_id', 'is', null)
      .where('created_at', '<', before)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('webhook_deliveries as d').select('d.message_id').whereRef('d.message_id', '=', 'webhook_messages.id'))))
      .execute();
  }
}

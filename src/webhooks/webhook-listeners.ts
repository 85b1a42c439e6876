import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  ACCOUNT_CREATED,
  ACCOUNT_DELETED,
  ACCOUNT_DELETING,
  ACCOUNT_NEEDS_REAUTH,
  ACCOUNT_REACTIVATED,
  AccountChangedEvent,
  AccountCreatedEvent,
} from '../accounts/account-events';
import { AccountsRepository } from '../store/accounts.repository';
import { WebhookOutboxRepository } from '../store/webhook-outbox.repository';
import { SYNC_FAILED, SYNC_RECORDED, SyncFailedEvent, SyncRecordedEvent } from '../sync/sync-events';
import { OutboxWriter, OutgoingEvent, receives } from './outbox-writer';

/** Change rows turned into messages at a time. */
const BATCH = 500;
const CHANGE_TYPES = ['user.added', 'user.removed', 'user.updated', 'seat.reclaimable'];

/**
 * Turns the hub's events into outbox messages where they happen. All are awaited by the emitter
 * (emitAsync), so the message is stored before the request answers or the snapshot switches.
 */
@Injectable()
export class WebhookListeners {
  constructor(
    private readonly writer: OutboxWriter,
    private readonly outbox: WebhookOutboxRepository,
    private readonly accounts: AccountsRepository,
  ) {}

  @OnEvent(ACCOUNT_CREATED)
  async onCreated(event: AccountCreatedEvent): Promise<void> {
    const row = await this.accounts.findById(event.accountId);
    if (!row) return;
    await this.account(ACCOUNT_CREATED, { accountId: row.id, integration: row.integration, name: row.name, status: row.status, tenantId: row.tenant_id ?? null });
  }

  @OnEvent(ACCOUNT_NEEDS_REAUTH)
  async onNeedsReauth(event: AccountChangedEvent): Promise<void> {
    await this.account(ACCOUNT_NEEDS_REAUTH, event);
  }

  @OnEvent(ACCOUNT_REACTIVATED)
  async onReactivated(event: AccountChangedEvent): Promise<void> {
    await this.account(ACCOUNT_REACTIVATED, event);
  }

  /** Its succeeded runs' messages are released now: deleting the account deletes the runs they wait on. */
  @OnEvent(ACCOUNT_DELETING)
  async onDeleting(event: AccountChangedEvent): Promise<void> {
    await this.outbox.settleRuns(event.accountId);
  }

  @OnEvent(ACCOUNT_DELETED)
  async onDeleted(event: AccountChangedEvent): Promise<void> {
    await this.account(ACCOUNT_DELETED, event);
  }

  /**
   * Before the switch: the run's changes and its sync.succeeded, tagged with the run, so they go out
   * only if the switch commits. Errors propagate and fail the run (the outbox must not miss them).
   */
  @OnEvent(SYNC_RECORDED, { suppressErrors: false })
  async onRecorded(event: SyncRecordedEvent): Promise<void> {
    const subscriptions = await this.writer.subscriptions();
    if (subscriptions.length === 0) return;
    const tenantId = await this.tenantOf(event.accountId);
    const common = { accountId: event.accountId, syncRunId: event.runId, timestamp: event.finishedAt, tenantId };
    let first: number | null = null;
    let last: number | null = null;
    const wanted = CHANGE_TYPES.some((type) => subscriptions.some((s) => receives(s, { type, tenantId })));
    for (let after = 0; ; ) {
      const rows = await this.outbox.changesOfRun(event.accountId, event.runId, after, BATCH);
      if (rows.length === 0) break;
      first ??= rows[0]!.seq;
      last = rows[rows.length - 1]!.seq;
      after = last;
      if (wanted) {
        await this.writer.write(
          rows.map((row) => ({
            ...common,
            type: row.type,
            // The change as the feed serves it (GET /unified/user-directory/changes), with its account.
            data: { integrated_account_id: row.account_id, id: row.seq, type: row.type, occurred_at: row.occurred_at, sync_run_id: row.sync_run_id, ...JSON.parse(row.data) },
          })),
          { subscriptions },
        );
      }
      if (rows.length < BATCH) break;
    }
    const s = event.stats;
    await this.writer.write(
      [
        {
          ...common,
          type: 'sync.succeeded',
          data: {
            integrated_account_id: event.accountId,
            sync_run_id: event.runId,
            finished_at: event.finishedAt,
            counts: { users: s.users, users_added: s.users_added, users_removed: s.users_removed, users_changed: s.users_changed, changes: s.changes ?? 0, pages: s.pages, records: s.records },
            // The change-feed ids this run added (both null when it added none).
            changes: { first_id: first, last_id: last },
          },
        },
      ],
      { subscriptions },
    );
  }

  @OnEvent(SYNC_FAILED)
  async onFailed(event: SyncFailedEvent): Promise<void> {
    const row = await this.accounts.findById(event.accountId);
    // An account deleted meanwhile has no tenant left to read: only endpoints without tenant hear of it.
    const tenantId = row?.tenant_id ?? null;
    const events: OutgoingEvent[] = [
      {
        type: 'sync.failed',
        accountId: event.accountId,
        tenantId,
        timestamp: event.finishedAt,
        data: { integrated_account_id: event.accountId, sync_run_id: event.runId, error: { code: event.code, message: event.message } },
      },
    ];
    if (row && event.code === 'UPSTREAM_AUTH_FAILED' && event.previousStatus !== 'needs_reauth') {
      events.push({ type: ACCOUNT_NEEDS_REAUTH, accountId: row.id, tenantId, timestamp: event.finishedAt, data: accountData({ accountId: row.id, integration: row.integration, name: row.name, status: 'needs_reauth' }) });
    }
    await this.writer.write(events);
  }

  private async account(type: string, event: AccountChangedEvent): Promise<void> {
    const tenantId = event.tenantId !== undefined ? event.tenantId : await this.tenantOf(event.accountId);
    await this.writer.write([{ type, accountId: event.accountId, tenantId, timestamp: new Date().toISOString(), data: accountData(event) }]);
  }

  /** The account's tenant (null: none, or the account is gone). */
  private async tenantOf(accountId: string): Promise<string | null> {
    return (await this.accounts.findById(accountId))?.tenant_id ?? null;
  }
}

function accountData(event: AccountChangedEvent): Record<string, unknown> {
  return { integrated_account_id: event.accountId, integration: event.integration, name: event.name, status: event.status };
}

import { Inject, Injectable } from '@nestjs/common';
import { HUB_DATABASE } from './database.token';
import type { HubDatabase } from './database';
import type { AccountsTable, SyncRunsTable } from './schema';
import { isUniqueViolation } from './unique-violation';

export type SyncRunRow = SyncRunsTable;

/** Statuses of a run that is not finished: at most one such run per account (migration 0004's guard). */
export const UNFINISHED = ['queued', 'running'] as const;

type RunChanges = Partial<Omit<SyncRunRow, 'id' | 'account_id'>>;

@Injectable()
export class SyncRunsRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async insert(row: SyncRunRow): Promise<void> {
    await this.db.insertInto('sync_runs').values(row).execute();
  }

  /**
   * Inserts an unfinished run unless the account has one already (then returns that one): the
   * database's unique index decides, so two processes starting one account at once get one run.
   */
  async insertUnfinished(row: SyncRunRow): Promise<SyncRunRow | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.insert(row);
        return null;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const existing = await this.unfinishedOf(row.account_id);
      // Gone between the refused insert and this read (it just finished): try again.
      if (existing) return existing;
    }
    throw new Error(`could not register a sync run for account ${row.account_id}: runs keep starting and finishing under it`);
  }

  async unfinishedOf(accountId: string): Promise<SyncRunRow | undefined> {
    return this.db.selectFrom('sync_runs').selectAll().where('account_id', '=', accountId).where('status', 'in', UNFINISHED).executeTakeFirst();
  }

  async update(id: string, changes: RunChanges): Promise<void> {
    await this.db.updateTable('sync_runs').set(changes).where('id', '=', id).execute();
  }

  /**
   * The switch of a successful run, in one transaction: the run becomes `succeeded` only if `owner`
   * still holds it, and only then does the account point at its snapshot. Returns the run's
   * follow-up trigger (or null), or false when the run was reclaimed and nothing changed.
   */
  async commitSuccess(id: string, owner: string, changes: RunChanges, accountId: string, account: Partial<AccountsTable>): Promise<string | null | false> {
    return this.db.transaction().execute(async (trx) => {
      const run = await trx
        .updateTable('sync_runs')
        .set({ ...changes, status: 'succeeded' })
        .where('id', '=', id)
        .where('owner', '=', owner)
        .where('status', '=', 'running')
        .returning('follow_up')
        .executeTakeFirst();
      if (!run) return false;
      await trx.updateTable('accounts').set(account).where('id', '=', accountId).execute();
      return run.follow_up;
    });
  }

  /** Finishes an owned run as failed; returns its follow-up trigger (or null), or false when it was not held anymore. */
  async finishOwned(id: string, owner: string, changes: RunChanges): Promise<string | null | false> {
    const run = await this.db
      .updateTable('sync_runs')
      .set({ ...changes, status: 'failed' })
      .where('id', '=', id)
      .where('owner', '=', owner)
      .where('status', 'in', UNFINISHED)
      .returning('follow_up')
      .executeTakeFirst();
    return run ? run.follow_up : false;
  }

  /** Extends the lease of the runs `ids` that `owner` still holds unfinished; returns their ids. */
  /**
   * The stats of a run still going (its progress so far), for replicas other than its owner to
   * show. Only while it is unfinished and held by `owner`: never over a run's final stats.
   */
  async recordProgress(owner: string, id: string, stats: string): Promise<void> {
    await this.db.updateTable('sync_runs').set({ stats }).where('id', '=', id).where('owner', '=', owner).where('status', 'in', UNFINISHED).execute();
  }

  async renewLeases(owner: string, ids: string[], leaseUntil: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .updateTable('sync_runs')
      .set({ lease_until: leaseUntil })
      .where('id', 'in', ids)
      .where('owner', '=', owner)
      .where('status', 'in', UNFINISHED)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Marks a run failed if it still is exactly as the reclaimer saw it (same owner, same lease):
   * an owner that renewed in between keeps its run. True when this call reclaimed it.
   */
  async reclaim(run: Pick<SyncRunRow, 'id' | 'owner' | 'lease_until'>, changes: RunChanges): Promise<boolean> {
    let query = this.db.updateTable('sync_runs').set({ ...changes, status: 'failed' }).where('id', '=', run.id).where('status', 'in', UNFINISHED);
    query = run.owner === null ? query.where('owner', 'is', null) : query.where('owner', '=', run.owner);
    query = run.lease_until === null ? query.where('lease_until', 'is', null) : query.where('lease_until', '=', run.lease_until);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Takes a queued run to run it here: it becomes `running`, owned by `owner` with a fresh lease.
   * Undefined when it is not queued anymore (reclaimed, or taken by another worker).
   */
  async claim(id: string, owner: string, leaseUntil: string, startedAt: string): Promise<SyncRunRow | undefined> {
    return this.db
      .updateTable('sync_runs')
      .set({ status: 'running', owner, lease_until: leaseUntil, started_at: startedAt })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where((eb) => eb.or([eb('owner', 'is', null), eb('owner', '=', owner)]))
      .returningAll()
      .executeTakeFirst();
  }

  /** Asks for one more run after `id`, if it is still running; false when it is not. */
  async requestFollowUp(id: string, trigger: string): Promise<boolean> {
    const result = await this.db.updateTable('sync_runs').set({ follow_up: trigger }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async find(accountId: string, runId: string): Promise<SyncRunRow | undefined> {
    return this.db
      .selectFrom('sync_runs')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', runId)
      .executeTakeFirst();
  }

  /** Newest first, keyset on the time-sortable id. */
  async page(accountId: string, beforeId: string | null, limit: number): Promise<SyncRunRow[]> {
    let query = this.db
      .selectFrom('sync_runs')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (beforeId !== null) query = query.where('id', '<', beforeId);
    return query.execute();
  }

  async latest(accountId: string): Promise<SyncRunRow | undefined> {
    return this.db.selectFrom('sync_runs').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  async unfinished(): Promise<SyncRunRow[]> {
    return this.db.selectFrom('sync_runs').selectAll().where('status', 'in', UNFINISHED).execute();
  }
}

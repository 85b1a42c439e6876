import { Inject, Injectable } from '@nestjs/common';
import { HUB_DATABASE } from './database.token';
import type { HubDatabase } from './database';
import type { SyncRunsTable } from './schema';

export type SyncRunRow = SyncRunsTable;

@Injectable()
export class SyncRunsRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async insert(row: SyncRunRow): Promise<void> {
    await this.db.insertInto('sync_runs').values(row).execute();
  }

  async update(id: string, changes: Partial<Omit<SyncRunRow, 'id' | 'account_id'>>): Promise<void> {
    await this.db.updateTable('sync_runs').set(changes).where('id', '=', id).execute();
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
    return this.db.selectFrom('sync_runs').selectAll().where('status', 'in', ['queued', 'running']).execute();
  }
}

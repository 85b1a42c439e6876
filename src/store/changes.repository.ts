import { Inject, Injectable } from '@nestjs/common';
import { insertInBatches } from './batched-insert';
import type { HubDatabase } from './database';
import { HUB_DATABASE } from './database.token';
import type { ChangesTable } from './schema';

export type ChangeRow = ChangesTable;

/**
 * The change feed's rows. Reads return only changes of succeeded runs; numbering is per account and
 * only one run of an account writes at a time, so a walk by `seq` never misses a change that
 * becomes visible later with a lower number.
 */
@Injectable()
export class ChangesRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  /** The number the account's next change gets. */
  async nextSeq(accountId: string): Promise<number> {
    const row = await this.db.selectFrom('changes').select((eb) => eb.fn.max('seq').as('seq')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(row?.seq ?? 0) + 1;
  }

  async insert(rows: ChangeRow[]): Promise<void> {
    await insertInBatches(this.db, 'changes', rows, (r) => r);
  }

  /** Visible changes after `afterSeq`, oldest first, one extra to tell whether more follow. */
  async page(accountId: string, afterSeq: number, limit: number): Promise<ChangeRow[]> {
    return this.db
      .selectFrom('changes')
      .innerJoin('sync_runs', 'sync_runs.id', 'changes.sync_run_id')
      .selectAll('changes')
      .where('changes.account_id', '=', accountId)
      .where('sync_runs.status', '=', 'succeeded')
      .where('changes.seq', '>', afterSeq)
      .orderBy('changes.seq')
      .limit(limit + 1)
      .execute();
  }

  /** The number of the first change at or after `since` (visible or not): a walk from `since` starts before it. */
  async firstSeqSince(accountId: string, since: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('changes')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .where('account_id', '=', accountId)
      .where('occurred_at', '>=', since)
      .executeTakeFirst();
    return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
  }

  /** The lowest number the account still keeps; null when it keeps none. */
  async oldestSeq(accountId: string): Promise<number | null> {
    const row = await this.db.selectFrom('changes').select((eb) => eb.fn.min('seq').as('seq')).where('account_id', '=', accountId).executeTakeFirst();
    return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
  }

  /** Drops what fell out of the retention window; always keeps the newest row, so numbering carries on. */
  async prune(accountId: string, before: string): Promise<void> {
    const newest = (await this.nextSeq(accountId)) - 1;
    await this.db.deleteFrom('changes').where('account_id', '=', accountId).where('occurred_at', '<', before).where('seq', '<', newest).execute();
  }
}

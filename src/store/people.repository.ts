import { Inject, Injectable } from '@nestjs/common';
import { insertInBatches } from './batched-insert';
import type { HubDatabase } from './database';
import { HUB_DATABASE } from './database.token';
import type { PeopleTable } from './schema';

export type PersonRow = Omit<PeopleTable, 'snapshot_id'>;

/** One account's entry for a person, with the account it comes from. */
export interface PersonEntry {
  email: string;
  account_id: string;
  integration: string;
  data: string;
  /** The account's state, for how fresh its entry is. */
  status: string;
  last_sync_status: string | null;
  last_synced_at: string | null;
}

/**
 * The people index: per snapshot, one row per person (lowercased email) and user. Reads join every
 * account's current snapshot, so a person is matched across every integrated account; or across
 * one tenant's accounts only, when `tenantId` is given.
 */
@Injectable()
export class PeopleRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async write(snapshotId: string, people: PersonRow[]): Promise<void> {
    await insertInBatches(this.db, 'people', people, (p) => ({ snapshot_id: snapshotId, ...p }));
  }

  /** Distinct emails after `after` in byte order, one extra to tell whether more follow. */
  async emails(after: string | null, limit: number, exact?: string, tenantId?: string): Promise<string[]> {
    let query = this.db
      .selectFrom('people')
      .innerJoin('accounts', 'accounts.current_snapshot_id', 'people.snapshot_id')
      .select('people.email')
      .distinct()
      .orderBy('people.email')
      .limit(limit + 1);
    if (after !== null) query = query.where('people.email', '>', after);
    if (exact !== undefined) query = query.where('people.email', '=', exact);
    if (tenantId !== undefined) query = query.where('accounts.tenant_id', '=', tenantId);
    return (await query.execute()).map((r) => r.email);
  }

  /** Every account's entry for these people, by email then account. */
  async entries(emails: string[], tenantId?: string): Promise<PersonEntry[]> {
    if (emails.length === 0) return [];
    let query = this.db
      .selectFrom('people')
      .innerJoin('accounts', 'accounts.current_snapshot_id', 'people.snapshot_id')
      .select([
        'people.email',
        'accounts.id as account_id',
        'accounts.integration',
        'people.data',
        'accounts.status',
        'accounts.last_sync_status',
        'accounts.last_synced_at',
      ])
      .where('people.email', 'in', emails);
    if (tenantId !== undefined) query = query.where('accounts.tenant_id', '=', tenantId);
    return query.orderBy('people.email').orderBy('accounts.id').orderBy('people.user_id').execute();
  }
}

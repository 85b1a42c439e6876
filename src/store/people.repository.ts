import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { insertInBatches } from './batched-insert';
import type { HubDatabase } from './database';
import { HUB_DATABASE } from './database.token';
import type { PeopleTable } from './schema';

export type PersonRow = Omit<PeopleTable, 'snapshot_id'>;

/** Which people a list keeps; a person is kept when any one of their accounts' entries matches all of them. */
export interface PeopleFilter {
  /** Exactly this (lowercased) email. */
  email?: string;
  /** Part of the email or of the name, any letter case. */
  search?: string;
  /** Holds a license of this product. */
  productCode?: string;
  /** Has this status (active, suspended, closed…). */
  status?: string;
}

/** `value` for inside a LIKE pattern with ESCAPE '\': its own % _ and \ taken literally. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A JSON string value as it appears in `people.data` (written by JSON.stringify, keys in the
 * order of PersonInAccount: user_id, name, status, last_active_at, licenses), without its quotes.
 */
function jsonText(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

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

  /**
   * Distinct emails after `after` in byte order, one extra to tell whether more follow. The name,
   * status and product filters match the entry's JSON text: `"name":"…"` is followed by
   * `","status":"` (the next key), and `"product_code":"X"` appears only in its licenses.
   */
  async emails(after: string | null, limit: number, filter: PeopleFilter = {}, tenantId?: string): Promise<string[]> {
    let query = this.db
      .selectFrom('people')
      .innerJoin('accounts', 'accounts.current_snapshot_id', 'people.snapshot_id')
      .select('people.email')
      .distinct()
      .orderBy('people.email')
      .limit(limit + 1);
    if (after !== null) query = query.where('people.email', '>', after);
    if (filter.email !== undefined) query = query.where('people.email', '=', filter.email);
    if (filter.search !== undefined) {
      const part = likeLiteral(filter.search.toLowerCase());
      const inName = `%"name":"%${likeLiteral(jsonText(filter.search.toLowerCase()))}%","status":"%`;
      query = query.where((eb) =>
        eb.or([sql<boolean>`people.email like ${`%${part}%`} escape '\\'`, sql<boolean>`lower(people.data) like ${inName} escape '\\'`]),
      );
    }
    if (filter.status !== undefined) query = query.where(sql<boolean>`people.data like ${`%"status":"${likeLiteral(jsonText(filter.status))}","last_active_at":%`} escape '\\'`);
    if (filter.productCode !== undefined) query = query.where(sql<boolean>`people.data like ${`%"product_code":"${likeLiteral(jsonText(filter.productCode))}",%`} escape '\\'`);
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

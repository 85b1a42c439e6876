import { Inject, Injectable } from '@nestjs/common';
import { HUB_DATABASE } from './database.token';
import type { HubDatabase } from './database';
import type { AccountsTable } from './schema';

export type AccountRow = AccountsTable;

/**
 * How long a looked-up account is reused. Every unified read and proxied request starts with this
 * lookup; writes through this repository drop the entry at once, and the short lifetime bounds how
 * stale a row written by another hub process on the same database can be.
 */
const CACHE_MS = 1000;

@Injectable()
export class AccountsRepository {
  private readonly cache = new Map<string, { row: AccountRow; at: number }>();

  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async insert(row: AccountRow): Promise<void> {
    await this.db.insertInto('accounts').values(row).execute();
  }

  async findById(id: string): Promise<AccountRow | undefined> {
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.row;
    const row = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    if (row) this.cache.set(id, { row, at: Date.now() });
    else this.cache.delete(id);
    return row;
  }

  /** Keyset page ordered by id; returns one extra row so the caller knows whether more follow. */
  async page(afterId: string | null, limit: number): Promise<AccountRow[]> {
    let query = this.db.selectFrom('accounts').selectAll().orderBy('id').limit(limit + 1);
    if (afterId !== null) query = query.where('id', '>', afterId);
    return query.execute();
  }

  async all(): Promise<AccountRow[]> {
    return this.db.selectFrom('accounts').selectAll().orderBy('id').execute();
  }

  async update(id: string, changes: Partial<Omit<AccountRow, 'id'>>): Promise<void> {
    this.cache.delete(id);
    await this.db.updateTable('accounts').set(changes).where('id', '=', id).execute();
    this.cache.delete(id);
  }

  /** The key ids credentials are sealed with, and how many accounts use each. */
  async credentialKeyIds(): Promise<{ keyId: string; accounts: number }[]> {
    const rows = await this.db
      .selectFrom('accounts')
      .select((eb) => ['credentials_key_id', eb.fn.countAll<number | string>().as('accounts')])
      .groupBy('credentials_key_id')
      .execute();
    return rows.map((r) => ({ keyId: r.credentials_key_id, accounts: Number(r.accounts) }));
  }

  /** Drops the cached row, after a write made elsewhere (a transaction over several tables). */
  forget(id: string): void {
    this.cache.delete(id);
  }

  async delete(id: string): Promise<boolean> {
    this.cache.delete(id);
    const result = await this.db.deleteFrom('accounts').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

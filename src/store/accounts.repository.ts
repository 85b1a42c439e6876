import { Inject, Injectable } from '@nestjs/common';
import { HUB_DATABASE } from './database.token';
import type { HubDatabase } from './database';
import type { AccountsTable } from './schema';
import { isUniqueViolation } from './unique-violation';

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
  /**
   * Bumped by every write: a lookup that started before one does not cache what it read, or a read
   * racing an update or delete (PostgreSQL's pool runs them side by side) would put the old row back.
   */
  private generation = 0;

  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async insert(row: AccountRow): Promise<void> {
    await this.db.insertInto('accounts').values(row).execute();
  }

  /**
   * Inserts the account unless another one holds its organization_key already (two connects of one
   * organization at once, on any replica): the unique index decides. Returns false when it refused.
   */
  async insertUnlessOrganizationTaken(row: AccountRow): Promise<boolean> {
    try {
      await this.insert(row);
      return true;
    } catch (error) {
      if (isUniqueViolation(error, { name: 'accounts_one_per_organization', column: 'organization_key' })) return false;
      throw error;
    }
  }

  async findById(id: string): Promise<AccountRow | undefined> {
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.row;
    const generation = this.generation;
    const row = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    if (row && generation === this.generation) this.cache.set(id, { row, at: Date.now() });
    else this.cache.delete(id);
    return row;
  }

  /**
   * Keyset page ordered by id, of one tenant's accounts when `tenantId` is given (else of all);
   * returns one extra row so the caller knows whether more follow.
   */
  async page(afterId: string | null, limit: number, tenantId?: string): Promise<AccountRow[]> {
    let query = this.db.selectFrom('accounts').selectAll().orderBy('id').limit(limit + 1);
    if (afterId !== null) query = query.where('id', '>', afterId);
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    return query.execute();
  }

  /**
   * Accounts of one integration in one tenant (null: the untenanted ones), oldest first, with what
   * their credentials gave access to.
   */
  async accessOf(integration: string, tenantId: string | null): Promise<Pick<AccountRow, 'id' | 'access'>[]> {
    let query = this.db.selectFrom('accounts').select(['id', 'access']).where('integration', '=', integration);
    query = tenantId === null ? query.where('tenant_id', 'is', null) : query.where('tenant_id', '=', tenantId);
    return query.orderBy('id').execute();
  }

  async all(): Promise<AccountRow[]> {
    return this.db.selectFrom('accounts').selectAll().orderBy('id').execute();
  }

  async update(id: string, changes: Partial<Omit<AccountRow, 'id'>>): Promise<void> {
    this.generation++;
    this.cache.delete(id);
    await this.db.updateTable('accounts').set(changes).where('id', '=', id).execute();
    // Again once written: a read that began while the write was in flight saw the old row.
    this.generation++;
    this.cache.delete(id);
  }

  /** Drops the cached row after a write made elsewhere (the run commit, in SyncRunsRepository). */
  forget(id: string): void {
    this.generation++;
    this.cache.delete(id);
  }

  async delete(id: string): Promise<boolean> {
    this.generation++;
    this.cache.delete(id);
    const result = await this.db.deleteFrom('accounts').where('id', '=', id).executeTakeFirst();
    this.generation++;
    this.cache.delete(id);
    return Number(result.numDeletedRows) > 0;
  }

  /** How many accounts' credentials each key id seals. */
  async countByKeyId(): Promise<{ key_id: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('accounts')
      .select(['credentials_key_id as key_id', (eb) => eb.fn.countAll<string | number>().as('count')])
      .groupBy('credentials_key_id')
      .orderBy('credentials_key_id')
      .execute();
    return rows.map((r) => ({ key_id: r.key_id, count: Number(r.count) }));
  }

  /** A keyset batch (by id) of the sealed credentials not sealed with `keyId`. */
  async sealedWithOtherKeys(keyId: string, afterId: string | null, limit: number): Promise<Pick<AccountRow, 'id' | 'credentials' | 'credentials_key_id'>[]> {
    let query = this.db
      .selectFrom('accounts')
      .select(['id', 'credentials', 'credentials_key_id'])
      .where('credentials_key_id', '<>', keyId)
      .orderBy('id')
      .limit(limit);
    if (afterId !== null) query = query.where('id', '>', afterId);
    return query.execute();
  }

  /**
   * Compare-and-set of the sealed credentials: written only if the row still holds `expected`, so a
   * replica resealing at the same time, or a PATCH with new credentials, is never overwritten.
   * Returns whether this call wrote.
   */
  async replaceSealed(id: string, expected: string, sealed: string, keyId: string): Promise<boolean> {
    this.cache.delete(id);
    const result = await this.db
      .updateTable('accounts')
      .set({ credentials: sealed, credentials_key_id: keyId })
      .where('id', '=', id)
      .where('credentials', '=', expected)
      .executeTakeFirst();
    this.cache.delete(id);
    return Number(result.numUpdatedRows) > 0;
  }
}

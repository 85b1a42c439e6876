import { Inject, Injectable } from '@nestjs/common';
import { HUB_DATABASE } from './database.token';
import type { HubDatabase } from './database';
import type { ConnectSessionsTable } from './schema';

export type ConnectSessionRow = ConnectSessionsTable;

/** Rows of connect_sessions, found by the hash of the hubcs_ token. */
@Injectable()
export class ConnectSessionsRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async insert(row: ConnectSessionRow): Promise<void> {
    await this.db.insertInto('connect_sessions').values(row).execute();
  }

  async findByHash(tokenHash: string): Promise<ConnectSessionRow | undefined> {
    return this.db.selectFrom('connect_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /**
   * Claims the link for one account creation: true for exactly one caller however many race (a
   * compare-and-set on used_at), and only while the link has not expired.
   */
  async claim(id: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('connect_sessions')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The claimed creation failed (wrong credentials, upstream down): the link may be used again. */
  async release(id: string): Promise<void> {
    await this.db.updateTable('connect_sessions').set({ used_at: null }).where('id', '=', id).where('account_id', 'is', null).execute();
  }

  /** Links in id order after `afterId`, of one tenant or (null) every one; one extra to tell whether more follow. */
  async page(tenantId: string | null, afterId: string | null, limit: number): Promise<ConnectSessionRow[]> {
    let query = this.db.selectFrom('connect_sessions').selectAll().orderBy('id').limit(limit + 1);
    if (tenantId !== null) query = query.where('tenant_id', '=', tenantId);
    if (afterId !== null) query = query.where('id', '>', afterId);
    return query.execute();
  }

  async findById(id: string): Promise<ConnectSessionRow | undefined> {
    return this.db.selectFrom('connect_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Withdraws a link not used yet: it expires now. False when it was used, expired or withdrawn already. */
  async revoke(id: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('connect_sessions')
      .set({ revoked_at: now, expires_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recordAccount(id: string, accountId: string): Promise<void> {
    await this.db.updateTable('connect_sessions').set({ account_id: accountId }).where('id', '=', id).execute();
  }
}

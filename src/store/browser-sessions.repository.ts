import { Inject, Injectable } from '@nestjs/common';
import { HUB_DATABASE } from './database.token';
import type { HubDatabase } from './database';
import type { BrowserSessionsTable } from './schema';

export type BrowserSessionRow = BrowserSessionsTable;

/** Rows of browser_sessions, found by the hash of the cookie value. */
@Injectable()
export class BrowserSessionsRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async insert(row: BrowserSessionRow): Promise<void> {
    await this.db.insertInto('browser_sessions').values(row).execute();
  }

  async findByHash(tokenHash: string): Promise<BrowserSessionRow | undefined> {
    return this.db.selectFrom('browser_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('browser_sessions').where('id', '=', id).execute();
  }

  /** Ends every session of a key (it was revoked). */
  async deleteForKey(keyId: string): Promise<number> {
    const result = await this.db.deleteFrom('browser_sessions').where('key_id', '=', keyId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Ends a key's sessions but its `keep` newest (ids grow with time). */
  async keepNewestForKey(keyId: string, keep: number): Promise<number> {
    const result = await this.db
      .deleteFrom('browser_sessions')
      .where('key_id', '=', keyId)
      .where('id', '<', (eb) => eb.selectFrom('browser_sessions').select('id').where('key_id', '=', keyId).orderBy('id', 'desc').limit(1).offset(keep - 1))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Sessions past their end are refused anyway; this only keeps the table small. */
  async deleteExpired(now: string): Promise<void> {
    await this.db.deleteFrom('browser_sessions').where('expires_at', '<=', now).execute();
  }
}

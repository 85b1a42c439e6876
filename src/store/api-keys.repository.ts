import { Inject, Injectable } from '@nestjs/common';
import { HUB_DATABASE } from './database.token';
import type { HubDatabase } from './database';
import type { ApiKeysTable } from './schema';

export type ApiKeyRow = ApiKeysTable;

/** Rows of api_keys. Revoked keys stay (revoked_at set) but are left out of every read but byHash. */
@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async insert(row: ApiKeyRow): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }

  /** The key with this hash, revoked or not (the caller tells the two apart). */
  async findByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  }

  /** The key with this id, revoked or not (a browser session names its key by id). */
  async findById(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findActive(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  }

  /** Keyset page of the keys not revoked, ordered by id; one extra row says whether more follow. */
  async pageActive(afterId: string | null, limit: number): Promise<ApiKeyRow[]> {
    let query = this.db.selectFrom('api_keys').selectAll().where('revoked_at', 'is', null).orderBy('id').limit(limit + 1);
    if (afterId !== null) query = query.where('id', '>', afterId);
    return query.execute();
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  /** Marks the key revoked; returns its row as it was, or undefined when there was no such active key. */
  async revoke(id: string, at: string): Promise<ApiKeyRow | undefined> {
    const row = await this.findActive(id);
    if (!row) return undefined;
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0 ? row : undefined;
  }
}

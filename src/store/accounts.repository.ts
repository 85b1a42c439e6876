import { Inject, Injectable } from '@nestjs/common';
import { HUB_DATABASE } from '../hub/tokens';
import type { HubDatabase } from './database';
import type { AccountsTable } from './schema';

export type AccountRow = AccountsTable;

@Injectable()
export class AccountsRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async insert(row: AccountRow): Promise<void> {
    await this.db.insertInto('accounts').values(row).execute();
  }

  async findById(id: string): Promise<AccountRow | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
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
    await this.db.updateTable('accounts').set(changes).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('accounts').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

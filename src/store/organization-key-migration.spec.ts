import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './database';

/**
 * Migration 0011 on a database that holds accounts from before it: the oldest account of each
 * (integration, tenant, organization) holds the key, later duplicates hold none.
 */
describe('migration 0011_account_organization_key', () => {
  it('gives the key to the oldest account of each organization per tenant, none to duplicates', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hub-migration-')), 'hub.sqlite');
    await (await openDatabase({ kind: 'sqlite', file })).destroy();
    // Back to the state before 0011 (undoing the migrations after it too), with accounts as older hubs stored them.
    const sqlite = new BetterSqlite3(file);
    sqlite.exec(`drop index connect_sessions_by_tenant; alter table connect_sessions drop column revoked_at;
      drop index accounts_one_per_organization; alter table accounts drop column organization_key;
      delete from kysely_migration where name >= '0011';`);
    const insert = sqlite.prepare(`insert into accounts (id, integration, name, status, credentials, credentials_key_id, access, created_at, updated_at, tenant_id)
      values (?, ?, 'n', 'active', '{}', 'k', ?, 'now', 'now', ?)`);
    const org = (id: string) => JSON.stringify({ organization: { id, name: null } });
    insert.run('a1', 'jetbrains', org('111'), null);
    insert.run('a2', 'jetbrains', org('111'), null); // a duplicate (allow_duplicate)
    insert.run('a3', 'jetbrains', org('111'), 'acme'); // the same organization in a tenant
    insert.run('a4', 'atlassian', org('111'), null); // the same id at another integration
    insert.run('a5', 'jetbrains', '{}', null); // no organization id
    sqlite.close();

    const db = await openDatabase({ kind: 'sqlite', file });
    try {
      const rows = await db.selectFrom('accounts').select(['id', 'organization_key']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 'a1', organization_key: '["jetbrains",null,"111"]' },
        { id: 'a2', organization_key: null },
        { id: 'a3', organization_key: '["jetbrains","acme","111"]' },
        { id: 'a4', organization_key: '["atlassian",null,"111"]' },
        { id: 'a5', organization_key: null },
      ]);
      // The index now refuses a second holder.
      await expect(db.updateTable('accounts').set({ organization_key: '["jetbrains",null,"111"]' }).where('id', '=', 'a2').execute()).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    } finally {
      await db.destroy();
    }
  });
});

import { Kysely, Migration, MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';

/**
 * Migrations live in code (not files) so they ship inside the build and run the same on SQLite
 * and PostgreSQL. Append only; never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<any>) {
      const byteOrder = byteOrderCollation(db);
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey().modifyEnd(byteOrder))
        .addColumn('integration', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('credentials', 'text', (c) => c.notNull())
        .addColumn('credentials_key_id', 'text', (c) => c.notNull())
        .addColumn('access', 'text', (c) => c.notNull())
        .addColumn('current_snapshot_id', 'text')
        .addColumn('last_synced_at', 'text')
        .addColumn('last_sync_status', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sync_runs')
        .addColumn('id', 'text', (c) => c.primaryKey().modifyEnd(byteOrder))
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('queued_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('stats', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .execute();
      await db.schema.createIndex('sync_runs_account').on('sync_runs').columns(['account_id', 'id']).execute();
      await db.schema
        .createTable('directory_records')
        .addColumn('snapshot_id', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('kind', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('id', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('remote_data', 'text')
        .addPrimaryKeyConstraint('directory_records_pk', ['snapshot_id', 'kind', 'id'])
        .execute();
    },
  },
  '0002_remote_parts': {
    async up(db: Kysely<any>) {
      const byteOrder = byteOrderCollation(db);
      // Keyed by part id, not by owning record: parts arrive in upstream order, and inserting them
      // in key order is several times faster than scattering them over the index.
      await db.schema
        .createTable('remote_parts')
        .addColumn('snapshot_id', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('kind', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('part_id', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('remote_parts_pk', ['snapshot_id', 'kind', 'part_id'])
        .execute();
      await db.schema.alterTable('directory_records').addColumn('remote_part_ids', 'text').execute();
    },
  },
  '0003_seats_and_people': {
    async up(db: Kysely<any>) {
      const byteOrder = byteOrderCollation(db);
      // One row per seat of a snapshot, derived from its users at sync. Served in (activity_key, id)
      // order: activity_key is '' for a never-used seat (first), else its last activity, so the
      // reclaimable ones of any inactivity window are a prefix of the index plus the never-used.
      await db.schema
        .createTable('seats')
        .addColumn('snapshot_id', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('id', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('product_code', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('product_name', 'text')
        .addColumn('group_id', 'text', (c) => c.modifyEnd(byteOrder))
        // The plan the seat counts in: JSON [product_code, team id, subscription pack], as plans are keyed.
        .addColumn('plan_key', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('outdated', 'integer', (c) => c.notNull())
        .addColumn('never_used', 'integer', (c) => c.notNull())
        .addColumn('activity_key', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('assigned_at', 'text', (c) => c.modifyEnd(byteOrder))
        .addColumn('last_active_at', 'text', (c) => c.modifyEnd(byteOrder))
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      // The key reads walk, (activity_key, id), is the only index: seats are never looked up by id
      // alone (the sync writes each seat id once), and every index of this table is written at random.
      await db.schema.createIndex('seats_by_activity').on('seats').columns(['snapshot_id', 'activity_key', 'id']).unique().execute();
      // One row per person (lowercased email) per snapshot, for "what does alice@ hold, everywhere?".
      await db.schema
        .createTable('people')
        .addColumn('snapshot_id', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('email', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('user_id', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('people_pk', ['snapshot_id', 'email', 'user_id'])
        .execute();
      await db.schema.createIndex('people_by_email').on('people').columns(['email', 'snapshot_id']).execute();
      // Optional prices per product, JSON ({ currency, prices }), for the cost of reclaimable seats.
      await db.schema.alterTable('accounts').addColumn('seat_prices', 'text').execute();
    },
  },
  '0004_api_keys': {
    async up(db: Kysely<any>) {
      const byteOrder = byteOrderCollation(db);
      // API keys besides HUB_API_KEY. Only the SHA-256 of a key is kept (keys carry 256 random bits,
      // so a fast hash is as good as a slow one) plus a short display prefix. A revoked key keeps its
      // row (revoked_at set) so later audit entries can still name it. tenant_id stays null until
      // tenants exist; a key with one will be confined to it.
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey().modifyEnd(byteOrder))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text')
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
    },
  },
};

/**
 * Byte order for keyset pagination, the same on both databases (PostgreSQL's default collation
 * would ignore punctuation and disagree with the `>` comparisons).
 */
function byteOrderCollation(db: Kysely<any>) {
  return db.getExecutor().adapter instanceof PostgresAdapter ? sql`collate "C"` : sql`collate binary`;
}

class InCodeMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  // Kysely looks for its bookkeeping tables in every schema; on PostgreSQL pin them to the schema
  // this connection writes to, or a second hub in another schema of the same database would
  // find the first one's tables and skip creating its own.
  const migrationTableSchema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({ db, provider: new InCodeMigrations(), migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? error}`);
  }
}

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
  '0003_seats': {
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
        .addColumn('outdated', 'integer', (c) => c.notNull())
        .addColumn('never_used', 'integer', (c) => c.notNull())
        .addColumn('activity_key', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('assigned_at', 'text', (c) => c.modifyEnd(byteOrder))
        .addColumn('last_active_at', 'text', (c) => c.modifyEnd(byteOrder))
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('seats_pk', ['snapshot_id', 'id'])
        .execute();
      await db.schema.createIndex('seats_by_activity').on('seats').columns(['snapshot_id', 'activity_key', 'id']).execute();
      // Optional prices per product, JSON ({ currency, prices }), for the cost of reclaimable seats.
      await db.schema.alterTable('accounts').addColumn('seat_prices', 'text').execute();
    },
  },
  '0004_run_leases': {
    async up(db: Kysely<any>) {
      // Who runs a run and until when that claim holds: several hub replicas share one database,
      // and only a replica whose lease expired has its runs reclaimed by the others.
      await db.schema.alterTable('sync_runs').addColumn('owner', 'text').execute();
      await db.schema.alterTable('sync_runs').addColumn('lease_until', 'text').execute();
      await db.schema.alterTable('sync_runs').addColumn('follow_up', 'text').execute();
      // Older hubs could leave several unfinished runs of one account (each killed mid-run); the
      // guard below allows one, so all but the newest are closed the way a restart closed them.
      await sql`
        update sync_runs set status = 'failed', finished_at = ${new Date().toISOString()}, error_code = 'HUB_RESTARTED',
          error_message = 'The hub stopped while this run was in progress; the previous snapshot is still served.'
        where status in ('queued', 'running')
          and id not in (select max(id) from sync_runs where status in ('queued', 'running') group by account_id)`.execute(db);
      // The guard: at most one unfinished run per account, whichever process or path starts it.
      // Partial unique indexes exist on both SQLite (3.8+) and PostgreSQL.
      await sql`create unique index sync_runs_one_active on sync_runs (account_id) where status in ('queued', 'running')`.execute(db);
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

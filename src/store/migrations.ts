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
  '0005_tenants': {
    async up(db: Kysely<any>) {
      // The tenant an account belongs to; keys with the same api_keys.tenant_id see it, and only
      // them among tenant keys. Null for accounts connected without one (and every account before
      // tenants), which only untenanted keys see. The index serves a tenant's keyset pages.
      await db.schema.alterTable('accounts').addColumn('tenant_id', 'text').execute();
      await db.schema.createIndex('accounts_by_tenant').on('accounts').columns(['tenant_id', 'id']).execute();
    },
  },
  '0006_audit_events': {
    async up(db: Kysely<any>) {
      const byteOrder = byteOrderCollation(db);
      // Append only: one row per write the hub made or passed on (see src/audit). Never a secret,
      // a body or a query value. Ids sort by time, so pages are newest first by id; occurred_at is
      // indexed for the retention prune; tenant_id is null until tenants exist.
      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'text', (c) => c.primaryKey().modifyEnd(byteOrder))
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text', (c) => c.modifyEnd(byteOrder))
        .addColumn('actor_key_id', 'text', (c) => c.notNull())
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('target_type', 'text')
        .addColumn('target_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('client_ip', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_by_time').on('audit_events').columns(['occurred_at']).execute();
      await db.schema.createIndex('audit_events_by_tenant').on('audit_events').columns(['tenant_id', 'id']).execute();
      await db.schema.createIndex('audit_events_by_action').on('audit_events').columns(['action', 'id']).execute();
    },
  },
  '0007_change_feed': {
    async up(db: Kysely<any>) {
      const byteOrder = byteOrderCollation(db);
      // What changed between an account's snapshots, one row per change, numbered per account. A
      // change is served only once its sync run succeeded, so a failed or killed run's rows are
      // never seen (they leave with the retention window) and the numbers a client sees only grow.
      await db.schema
        .createTable('changes')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade').modifyEnd(byteOrder))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('sync_run_id', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('changes_pk', ['account_id', 'seq'])
        .execute();
      await db.schema.createIndex('changes_by_time').on('changes').columns(['account_id', 'occurred_at']).execute();
      // The inactivity window seat.reclaimable changes are recorded by; null: the default (60 days).
      await db.schema.alterTable('accounts').addColumn('inactive_days', 'integer').execute();
    },
  },
  '0008_run_leases': {
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
  '0009_webhooks': {
    async up(db: Kysely<any>) {
      const byteOrder = byteOrderCollation(db);
      // Webhook endpoints. The signing secret is sealed (AES-256-GCM, like credentials); during a
      // rotation the previous one keeps signing beside it until previous_secret_expires_at.
      // failing_since: the first failure since the last success (24 h of it disables the endpoint).
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey().modifyEnd(byteOrder))
        .addColumn('tenant_id', 'text')
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('disabled_reason', 'text')
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('secret_key_id', 'text', (c) => c.notNull())
        .addColumn('previous_secret', 'text')
        .addColumn('previous_secret_expires_at', 'text')
        .addColumn('failing_since', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // The outbox: one row per event, its body as sent. A sync's rows are written before its
      // snapshot switch with sync_run_id set and are deliverable only once that run succeeded; no
      // foreign key to accounts, so integrated_account.deleted outlives the account.
      await db.schema
        .createTable('webhook_messages')
        .addColumn('id', 'text', (c) => c.primaryKey().modifyEnd(byteOrder))
        .addColumn('tenant_id', 'text')
        .addColumn('account_id', 'text', (c) => c.modifyEnd(byteOrder))
        .addColumn('sync_run_id', 'text', (c) => c.modifyEnd(byteOrder))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_messages_by_run').on('webhook_messages').columns(['sync_run_id']).execute();
      // One row per (message, endpoint). account_key orders deliveries per (endpoint, account);
      // claimed_until is the lease a replica holds while it sends.
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade').modifyEnd(byteOrder))
        .addColumn('message_id', 'text', (c) => c.notNull().references('webhook_messages.id').onDelete('cascade').modifyEnd(byteOrder))
        .addColumn('account_key', 'text', (c) => c.notNull().modifyEnd(byteOrder))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.modifyEnd(byteOrder))
        .addColumn('claimed_until', 'text')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('last_attempt_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('webhook_deliveries_pk', ['endpoint_id', 'message_id'])
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_line').on('webhook_deliveries').columns(['endpoint_id', 'account_key', 'status', 'message_id']).execute();
      await db.schema.createIndex('webhook_deliveries_by_message').on('webhook_deliveries').columns(['message_id']).execute();
    },
  },
  '0010_browser_sessions': {
    async up(db: Kysely<any>) {
      const byteOrder = byteOrderCollation(db);
      // Browser sessions (POST /session): the SHA-256 of the cookie value only, never the value; the
      // key that signed in ('root' for HUB_API_KEY, with root_key_hash so a new root key ends the old
      // root's sessions). The key is read on every use, so revoking or expiring it ends its sessions.
      await db.schema
        .createTable('browser_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey().modifyEnd(byteOrder))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('root_key_hash', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('browser_sessions_by_key').on('browser_sessions').columns(['key_id']).execute();
      await db.schema.createIndex('browser_sessions_by_expiry').on('browser_sessions').columns(['expires_at']).execute();
      // Connect links (POST /connect-sessions), in the same migration: the SHA-256 of the hubcs_ token
      // only; the tenant the one account it may create goes to; integrations: JSON array, or null for
      // every one. used_at is claimed (compare-and-set) before the account is made, so one token
      // creates at most one account however many requests race.
      await db.schema
        .createTable('connect_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey().modifyEnd(byteOrder))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('integrations', 'text')
        .addColumn('created_by_key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('account_id', 'text')
        .execute();
    },
  },
  '0011_account_organization_key': {
    async up(db: Kysely<any>) {
      // One account per (integration, tenant, upstream organization) unless the client asked for a
      // duplicate: the key is set on the account that holds the organization, null on duplicates.
      // The unique index makes two connects of one organization at once answer 201 and 409, on any
      // number of replicas (the check before the insert alone lets both through). NULLs never
      // collide on either database, so duplicates and accounts without an organization id pass.
      await db.schema.alterTable('accounts').addColumn('organization_key', 'text').execute();
      const rows = await db.selectFrom('accounts').select(['id', 'integration', 'tenant_id', 'access']).orderBy('id').execute();
      const taken = new Set<string>();
      for (const row of rows) {
        const key = organizationKeyOf(row.integration, row.tenant_id ?? null, row.access);
        // The oldest account of an organization holds it; later ones were connected as duplicates.
        if (key === null || taken.has(key)) continue;
        taken.add(key);
        await db.updateTable('accounts').set({ organization_key: key }).where('id', '=', row.id).execute();
      }
      await db.schema.createIndex('accounts_one_per_organization').on('accounts').column('organization_key').unique().execute();
    },
  },
  '0012_connect_session_revocation': {
    async up(db: Kysely<any>) {
      // A connect link an admin withdrew (DELETE /connect-sessions/:id) says so in the list; it also
      // expires at that moment, so every check of a link's end refuses it without knowing this column.
      await db.schema.alterTable('connect_sessions').addColumn('revoked_at', 'text').execute();
      await db.schema.createIndex('connect_sessions_by_tenant').on('connect_sessions').columns(['tenant_id', 'id']).execute();
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

/** As AccountsService computes it at connect; kept here too, since a migration must not change with the code. */
function organizationKeyOf(integration: string, tenantId: string | null, access: string): string | null {
  let organizationId: unknown;
  try {
    organizationId = (JSON.parse(access) as { organization?: { id?: unknown } }).organization?.id;
  } catch {
    return null;
  }
  return typeof organizationId === 'string' && organizationId !== '' ? JSON.stringify([integration, tenantId, organizationId]) : null;
}

import BetterSqlite3 from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import type { DatabaseConfig } from '../config/hub-config';
import { startWorker } from '../common/worker-thread';
import { migrateToLatest } from './migrations';
import type { Database } from './schema';

export type HubDatabase = Kysely<Database>;

/**
 * How long opening a PostgreSQL connection may take. Without it a host that drops packets (a
 * firewall, a wrong address) hangs the boot, and later every request, for the kernel's TCP timeout.
 */
const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<HubDatabase> {
  const db =
    config.kind === 'sqlite'
      ? new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(config.file) }) })
      : new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: config.url, max: 10, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS }) }) });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

function openSqlite(file: string): BetterSqlite3.Database {
  createPrivately(file);
  const sqlite = new BetterSqlite3(file);
  // Records are about 1-2 KB; 16 KB pages hold several per page (a new file only: an existing
  // one keeps the page size it was created with).
  sqlite.pragma('page_size = 16384');
  // WAL lets readers go on while a sync writes its snapshot; NORMAL is durable across process
  // crashes (only a power cut can lose the last commit).
  sqlite.pragma('journal_mode = WAL');
  // SQLite gives -wal and -shm the main file's mode; files left by an older hub are tightened here.
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return withStatementCache(withBackgroundCheckpoints(sqlite, file));
}

/**
 * The database holds sealed credentials and everyone's directory: owner-only (0600), whatever the
 * umask and the data dir's mode. Created empty (a valid SQLite file) before SQLite opens it, so it
 * is never readable by others, not even for a moment; an existing file is tightened.
 */
function createPrivately(file: string): void {
  if (file === ':memory:') return;
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

/** Pages (16 KB) the WAL may reach before the main connection checkpoints itself: a backstop only. */
const BACKSTOP_CHECKPOINT_PAGES = 16_384;
/** How often the checkpointer thread looks for writes to fold into the database file, and how long it waits for quiet. */
const CHECKPOINT = { everyMs: 250, maxDeferMs: 10_000 };

/**
 * Checkpoints run in a worker thread (sqlite-checkpointer) instead of on the connection that
 * serves requests; see there for why. The WAL file is cut back to 64 MB after it was reset.
 */
function withBackgroundCheckpoints(sqlite: BetterSqlite3.Database, file: string): BetterSqlite3.Database {
  if (file === ':memory:') return sqlite;
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const checkpointer = startWorker(__dirname, 'sqlite-checkpointer', { file, ...CHECKPOINT });
  const close = sqlite.close.bind(sqlite);
  sqlite.close = (() => {
    void checkpointer.terminate();
    return close();
  }) as typeof sqlite.close;
  return sqlite;
}

/**
 * Kysely prepares every query anew; on hot paths (a unified page is two small queries) preparing
 * costs as much as running. Reuse prepared statements by SQL text, in a bounded cache. Safe because
 * better-sqlite3 runs each statement to completion synchronously (the hub never streams results).
 */
function withStatementCache(sqlite: BetterSqlite3.Database, size = 256): BetterSqlite3.Database {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, BetterSqlite3.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(source, statement);
    }
    return statement;
  }) as typeof sqlite.prepare;
  return sqlite;
}

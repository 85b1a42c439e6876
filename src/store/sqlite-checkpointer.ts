/**
 * Worker thread that checkpoints the SQLite WAL into the database file on its own connection, so
 * the thread serving HTTP never does. A checkpoint copies every page written since the last one: on
 * the main connection that stalls requests (and a sync's writes) for a fraction of a second each
 * time the WAL fills. It waits for a quiet moment: while another connection keeps committing (a
 * sync writing its snapshot) checkpointing alongside would only slow both, so it is put off, up to
 * `maxDeferMs`. PASSIVE never waits for, or blocks, readers and writers.
 */
import BetterSqlite3 from 'better-sqlite3';
import { workerData } from 'node:worker_threads';

const { file, everyMs, maxDeferMs } = workerData as { file: string; everyMs: number; maxDeferMs: number };
const db = new BetterSqlite3(file);
db.pragma('busy_timeout = 5000');

const dataVersion = () => db.pragma('data_version', { simple: true }) as number;
let seen = dataVersion();
// Writes may have landed before this thread started (or a previous process left a WAL): check once.
let dirtySince: number | null = Date.now();

setInterval(() => {
  try {
    const version = dataVersion();
    const now = Date.now();
    if (version !== seen) {
      // Committed to since the last look: still writing, perhaps; look again next time.
      seen = version;
      dirtySince ??= now;
      if (now - dirtySince < maxDeferMs) return;
    }
    if (dirtySince === null) return;
    db.pragma('wal_checkpoint(PASSIVE)');
    dirtySince = null;
  } catch {
    // Busy or locked: the next round tries again; the main connection's auto-checkpoint is the backstop.
  }
}, everyMs);

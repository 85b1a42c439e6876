import type { Insertable } from 'kysely';
import type { HubDatabase } from './database';
import type { Database } from './schema';

/** Rows per INSERT: well under SQLite's (32,766) and PostgreSQL's (65,535) bound-parameter limits at 12 columns a row. */
const INSERT_BATCH = 500;
/**
 * INSERTs per transaction. One commit per 5,000 rows instead of per 500 makes writing a snapshot
 * several times faster, while keeping each transaction short: on SQLite a transaction holds the
 * one connection, and reads wait for it.
 */
const BATCHES_PER_TRANSACTION = 10;

/** Multi-row INSERTs of INSERT_BATCH rows, BATCHES_PER_TRANSACTION of them per transaction. */
export async function insertInBatches<T extends 'directory_records' | 'remote_parts' | 'seats' | 'people' | 'changes', I>(
  db: HubDatabase,
  table: T,
  items: I[],
  toRow: (item: I) => Insertable<Database[T]>,
): Promise<void> {
  const perTransaction = INSERT_BATCH * BATCHES_PER_TRANSACTION;
  for (let start = 0; start < items.length; start += perTransaction) {
    const chunk = items.slice(start, start + perTransaction);
    await db.transaction().execute(async (trx) => {
      for (let offset = 0; offset < chunk.length; offset += INSERT_BATCH) {
        await trx
          .insertInto(table)
          .values(chunk.slice(offset, offset + INSERT_BATCH).map(toRow) as never)
          .execute();
      }
    });
  }
}

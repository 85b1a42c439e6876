import { CompiledQuery, Insertable } from 'kysely';
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

type BulkTable = 'directory_records' | 'remote_parts' | 'seats' | 'people' | 'changes';

/**
 * The SQL of a multi-row INSERT by (table, columns, rows), as Kysely compiled it the first time.
 * Building and compiling a 500-row INSERT through the query builder costs about as much CPU as
 * SQLite's executing it (a node per value, then a visit of each); the text only depends on the
 * shape, so later batches of that shape reuse it with their own parameters.
 */
const compiledShapes = new WeakMap<HubDatabase, Map<string, string>>();

/** Multi-row INSERTs of INSERT_BATCH rows, BATCHES_PER_TRANSACTION of them per transaction. */
export async function insertInBatches<T extends BulkTable, I>(
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
        await insertRows(db, trx, table, chunk.slice(offset, offset + INSERT_BATCH).map(toRow) as Record<string, unknown>[]);
      }
    });
  }
}

async function insertRows(db: HubDatabase, trx: HubDatabase, table: BulkTable, rows: Record<string, unknown>[]): Promise<void> {
  const columns = Object.keys(rows[0]!);
  const parameters = valuesInOrder(rows, columns);
  const shape = `${table}\n${columns.join(',')}\n${rows.length}`;
  let shapes = compiledShapes.get(db);
  if (!shapes) compiledShapes.set(db, (shapes = new Map()));
  const known = parameters && shapes.get(shape);
  if (known) {
    await trx.executeQuery(CompiledQuery.raw(known, parameters));
    return;
  }
  const compiled = trx.insertInto(table).values(rows as never).compile();
  // Reused only when Kysely bound exactly these values in this order (every row has every column,
  // none undefined, which Kysely would write as DEFAULT instead of a parameter).
  if (parameters && sameValues(compiled.parameters, parameters)) shapes.set(shape, compiled.sql);
  await trx.executeQuery(compiled);
}

/** Every row's values in column order, or null when a row lacks a column or holds undefined. */
function valuesInOrder(rows: Record<string, unknown>[], columns: string[]): unknown[] | null {
  const values: unknown[] = new Array(rows.length * columns.length);
  let i = 0;
  for (const row of rows) {
    for (const column of columns) {
      const value = row[column];
      if (value === undefined) return null;
      values[i++] = value;
    }
  }
  for (const row of rows) if (Object.keys(row).length !== columns.length) return null;
  return values;
}

function sameValues(a: readonly unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

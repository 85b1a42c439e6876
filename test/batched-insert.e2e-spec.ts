import { insertInBatches } from '../src/store/batched-insert';
import { tempDataDir } from './support/fixture';
import { databaseBackends, useDatabase } from './support/postgres';

/**
 * insertInBatches reuses the SQL Kysely compiled for a batch's shape with later batches' values:
 * every row must land with its own values, on both databases, whatever the batch sizes and values.
 */
const backends = databaseBackends(tempDataDir);

describe.each(backends)('bulk inserts on $name', (backend) => {
  const database = useDatabase(backend);

  const seat = (i: number) => ({
    snapshot_id: 'snap',
    // Random-looking ids and unkind values: quotes, question marks and dollar signs (placeholder
    // characters of both dialects), non-ASCII, empty strings, nulls.
    id: `${(i * 2654435761) % 4294967296}`.padStart(10, 'Z'),
    product_code: i % 3 === 0 ? 'II' : "R'$1?",
    product_name: i % 5 === 0 ? null : `Zoë ${i} — “IDE”`,
    group_id: i % 7 === 0 ? null : String(i % 11),
    plan_key: JSON.stringify(['II', i % 11, null]),
    outdated: i % 2,
    never_used: i % 4 === 0 ? 1 : 0,
    activity_key: i % 4 === 0 ? '' : new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    assigned_at: i % 9 === 0 ? null : '2025-01-01T00:00:00.000Z',
    last_active_at: null,
    data: JSON.stringify({ i, name: `Ğüñter $${i} ?` }),
  });

  it('every row of full and partial batches lands with its own values', async () => {
    const db = database();
    const rows = Array.from({ length: 5_000 + 1_234 }, (_, i) => seat(i));
    // Two calls: the second reuses the shapes the first compiled (500 rows, and a last 234).
    await insertInBatches(db, 'seats', rows.slice(0, 3_117), (r) => r);
    await insertInBatches(db, 'seats', rows.slice(3_117), (r) => r);
    const stored = await db.selectFrom('seats').selectAll().orderBy('id').execute();
    expect(stored).toEqual([...rows].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it('a row without a value for a column gets the column default, as Kysely writes it', async () => {
    const db = database();
    const rows = Array.from({ length: 1_200 }, (_, i) => seat(i)).map((r, i) => (i === 700 ? { ...r, product_name: undefined } : r));
    await insertInBatches(db, 'seats', rows, (r) => r as never);
    const stored = await db.selectFrom('seats').select(['id', 'product_name']).where('id', '=', rows[700]!.id).executeTakeFirstOrThrow();
    expect(stored.product_name).toBeNull();
    const count = Number((await db.selectFrom('seats').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(count).toBe(1_200);
  });
});

import { DerivedSeatRow, seatRow } from '../src/connector-kit';
import { PeopleRepository } from '../src/store/people.repository';
import { SeatsRepository } from '../src/store/seats.repository';
import { DerivedRowsWriter } from '../src/sync/derived-rows-writer';
import { tempDataDir } from './support/fixture';
import { databaseBackends, useDatabase } from './support/postgres';

/**
 * Seats handed over with the pages, then corrected once the records are built: a correction
 * replaces a seat still held back or one already written, never adds one, and a seat handed over
 * twice is written once.
 */
describe.each(databaseBackends(tempDataDir))('derived rows on $name', (backend) => {
  const database = useDatabase(backend);

  const seat = (i: number, name: string): DerivedSeatRow =>
    seatRow({
      // Random-looking ids, out of order.
      id: ((i * 2654435761) % 4294967296).toString(36).toUpperCase().padStart(10, 'Q'),
      user_id: `user${i % 997}@example.com`,
      email: `user${i % 997}@example.com`,
      name,
      product_code: 'II',
      product_name: 'IntelliJ IDEA Ultimate',
      group: null,
      subscription_pack: null,
      assigned_at: '2025-01-01T00:00:00.000Z',
      last_active_at: i % 3 === 0 ? null : new Date(Date.UTC(2026, 0, 1) + (i % 500) * 3_600_000).toISOString(),
      license_status: 'active',
      outdated: false,
    });

  it('corrects seats already written and seats held back; ignores corrections of unknown seats', async () => {
    const db = database();
    const writer = new DerivedRowsWriter(new SeatsRepository(db), new PeopleRepository(db), 'snap');
    // More than one batch (10,000): the first batch is in the database when the corrections come.
    const handed = Array.from({ length: 12_000 }, (_, i) => seat(i, 'Provisional'));
    for (let i = 0; i < handed.length; i += 200) await writer.writeSeats(handed.slice(i, i + 200));
    await writer.writeSeats(handed.slice(0, 50)); // handed over twice: written once
    const corrections = [seat(5, 'Zoë O’Brien'), seat(11_999, 'Ünïcode Ñame'), seat(99_999, 'Nobody')];
    await writer.writeRecords([], false, { seats: [], people: [], seatUpdates: corrections });
    await writer.finish();
    const rows = await db.selectFrom('seats').select(['id', 'data', 'activity_key']).where('snapshot_id', '=', 'snap').execute();
    expect(rows).toHaveLength(12_000);
    const names = new Map(rows.map((r) => [r.id, JSON.parse(r.data).name as string]));
    expect(names.get(handed[5]!.id)).toBe('Zoë O’Brien');
    expect(names.get(handed[11_999]!.id)).toBe('Ünïcode Ñame');
    expect(names.has(seat(99_999, '').id)).toBe(false);
    expect([...names.values()].filter((n) => n === 'Provisional')).toHaveLength(11_998);
  });
});

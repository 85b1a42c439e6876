import { join } from 'node:path';
import type { DatabaseConfig } from '../src/config/hub-config';
import { inactivityCutoff, reclaimReason } from '../src/seats/seat-rules';
import { HubDatabase, openDatabase } from '../src/store/database';
import { SeatFilter, SeatRow, SeatsRepository } from '../src/store/seats.repository';
import { SnapshotDiffRepository } from '../src/store/snapshot-diff.repository';
import { tempDataDir } from './support/hub-harness';
import { freshSchema, postgresEnabled } from './support/postgres';

/**
 * The reclaim rules exist twice: in TypeScript (src/seats/seat-rules.ts, unit-tested boundary by
 * boundary) and in SQL (SeatsRepository). On seeded random seats, both databases must agree with
 * the TypeScript rules for every window, filter and page, and a count computed at one cutoff must
 * hold up to the turning point the repository reports.
 */
const backends: { name: string; open(): Promise<{ config: DatabaseConfig; cleanup(): Promise<void> }> }[] = [
  { name: 'SQLite', open: async () => ({ config: { kind: 'sqlite', file: join(tempDataDir(), 'hub.sqlite') }, cleanup: async () => undefined }) },
];
if (postgresEnabled()) {
  backends.push({ name: 'PostgreSQL', open: async () => { const s = await freshSchema(); return { config: { kind: 'postgres', url: s.url }, cleanup: s.drop }; } });
}

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const DAY = 86_400_000;

function seededRandom(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function randomSeats(count: number): SeatRow[] {
  const random = seededRandom(42);
  const date = () => (random() < 0.15 ? null : new Date(NOW - Math.floor(random() * 400 * DAY)).toISOString());
  const rows: SeatRow[] = [];
  for (let i = 0; i < count; i++) {
    const assigned_at = date();
    const last_active_at = random() < 0.3 ? null : date();
    const neverUsed = last_active_at === null || (assigned_at !== null && last_active_at < assigned_at);
    const id = Math.floor(random() * 36 ** 8).toString(36).toUpperCase().padStart(8, 'Z') + i;
    rows.push({
      id,
      product_code: ['II', 'WS', 'PC', 'jira-software'][Math.floor(random() * 4)]!,
      product_name: null,
      group_id: random() < 0.2 ? null : String(Math.floor(random() * 3)),
      plan_key: '[]',
      outdated: random() < 0.1 ? 1 : 0,
      never_used: neverUsed ? 1 : 0,
      activity_key: neverUsed ? '' : last_active_at!,
      assigned_at,
      last_active_at,
      data: JSON.stringify({ id }),
    });
  }
  return rows;
}

describe.each(backends)('seat rules in SQL on $name', (backend) => {
  let db: HubDatabase;
  let cleanup: () => Promise<void>;
  let seats: SeatsRepository;
  const rows = randomSeats(3000);

  beforeAll(async () => {
    const opened = await backend.open();
    cleanup = opened.cleanup;
    db = await openDatabase(opened.config);
    seats = new SeatsRepository(db);
    await seats.write('snap-1', rows);
    await seats.write('snap-2', randomSeats(50));
  });

  afterAll(async () => {
    await db.destroy();
    await cleanup();
  });

  const expected = (filter: SeatFilter) =>
    rows
      .filter((r) => (filter.includeOutdated || r.outdated === 0) && (filter.productCode === undefined || r.product_code === filter.productCode))
      .filter((r) => filter.groupId === undefined || r.group_id === filter.groupId)
      .filter((r) => reclaimReason(r, filter.cutoff) !== null)
      .sort((a, b) => (a.activity_key < b.activity_key ? -1 : a.activity_key > b.activity_key ? 1 : a.id < b.id ? -1 : 1));

  async function walk(filter: SeatFilter, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let after: [string, string] | null = null;
    for (;;) {
      const page = await seats.reclaimablePage('snap-1', filter, after, limit);
      ids.push(...page.slice(0, limit).map((s) => s.id));
      if (page.length <= limit) return ids;
      const last = page[limit - 1]!;
      after = [last.activity_key, last.id];
    }
  }

  it.each([1, 30, 60, 90, 365])('pages exactly the reclaimable seats for a %i-day window', async (days) => {
    const filter = { cutoff: inactivityCutoff(NOW, days), includeOutdated: false };
    expect(await walk(filter, 97)).toEqual(expected(filter).map((r) => r.id));
  });

  it('agrees on filters by product, group and outdated', async () => {
    for (const filter of [
      { cutoff: inactivityCutoff(NOW, 60), includeOutdated: true },
      { cutoff: inactivityCutoff(NOW, 60), includeOutdated: false, productCode: 'WS' },
      { cutoff: inactivityCutoff(NOW, 45), includeOutdated: true, groupId: '1' },
    ]) {
      expect(await walk(filter, 200)).toEqual(expected(filter).map((r) => r.id));
    }
  });

  it('counts per product and reason like the rules do', async () => {
    const filter = { cutoff: inactivityCutoff(NOW, 60), includeOutdated: false };
    const counts = await seats.counts('snap-1', filter, 'product_code');
    const kept = rows.filter((r) => r.outdated === 0);
    for (const product of counts) {
      const mine = kept.filter((r) => r.product_code === product.key);
      expect(product.assigned).toBe(mine.length);
      expect(product.never_used).toBe(mine.filter((r) => reclaimReason(r, filter.cutoff) === 'never_used').length);
      expect(product.inactive).toBe(mine.filter((r) => reclaimReason(r, filter.cutoff) === 'inactive').length);
    }
    expect(counts.map((c) => c.key)).toEqual(['II', 'PC', 'WS', 'jira-software']);
  });

  it('finds the seats that turned reclaimable between two cutoffs, as the rules say', async () => {
    const diff = new SnapshotDiffRepository(db);
    const [then, now] = [inactivityCutoff(NOW - 20 * DAY, 60), inactivityCutoff(NOW, 60)];
    const found: string[] = [];
    let after: [string, string] | null = null;
    for (;;) {
      const page = await diff.crossedCutoff('snap-1', then, now, after, 50);
      found.push(...page.map((r) => r.id));
      if (page.length < 50) break;
      after = [page[page.length - 1]!.activity_key, page[page.length - 1]!.id];
    }
    const expectedIds = rows.filter((r) => r.outdated === 0 && reclaimReason(r, then) === null && reclaimReason(r, now) !== null).map((r) => r.id);
    expect(found.sort()).toEqual(expectedIds.sort());
    expect(found.length).toBeGreaterThan(0);
  });

  it('reports the turning point up to which counts stay exact', async () => {
    const filter = { cutoff: inactivityCutoff(NOW, 60), includeOutdated: false };
    const turn = await seats.nextTurningPoint('snap-1', filter);
    expect(turn).not.toBeNull();
    const before = await seats.counts('snap-1', filter, 'product_code');
    // At the turning point itself nothing has changed yet (the rules compare strictly)...
    expect(await seats.counts('snap-1', { ...filter, cutoff: turn! }, 'product_code')).toEqual(before);
    // ...and just after it, some seat has turned reclaimable.
    const after = await seats.counts('snap-1', { ...filter, cutoff: new Date(Date.parse(turn!) + 1).toISOString() }, 'product_code');
    expect(after).not.toEqual(before);
  });
});

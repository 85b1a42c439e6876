import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import type { JbLicense } from '../src/connectors/jetbrains/jetbrains.types';
import { buildDataset } from '../sandbox/jetbrains/dataset';
import type { JetbrainsSimulator } from '../sandbox/jetbrains/server';
import { connectSynced, useFixture, waitForLatestRun } from './support/fixture';
import type { TestHub } from './support/fixture';
import { daysAgo, personLicense } from './support/licenses';

const DAY = 86_400_000;
const ago = daysAgo;

const license = personLicense;

const BEFORE: JbLicense[] = [
  license('CHGADA0001', 'II', 'ada@example.com', 'Ada Lovelace'),
  license('CHGBOB0001', 'WS', 'bob@example.com', 'Bob Builder'),
  license('CHGBOB0002', 'GO', 'bob@example.com', 'Bob Builder'),
  license('CHGCYD0001', 'PC', 'cyd@example.com', 'Cyd Charisse'),
  license('CHGDEE0001', 'II', 'dee@example.com', 'Dee Dee'),
  license('CHGEVE0001', 'RD', 'eve@example.com', 'Eve Online'),
];

/** The second sync's organization: one change of each kind, and one of activity alone. */
const AFTER: JbLicense[] = [
  license('CHGADA0001', 'II', 'ada@example.com', 'Ada Lovelace', { lastSeen: { lastSeenDate: ago(0), lastAssignmentDate: ago(300), isOfflineCodeGenerated: false } }), // activity only
  license('CHGBOB0001', 'WS', 'bob@example.com', 'Bob Builder'), // GO moved to Cyd
  license('CHGBOB0002', 'GO', 'cyd@example.com', 'Cyd Charisse'),
  license('CHGCYD0001', 'PC', 'cyd@example.com', 'Cyd Charisse'),
  license('CHGDEE0001', 'II', 'dee@example.com', 'Dee Dee', { isSuspended: true }), // status
  license('CHGFAY0001', 'CL', 'fay@example.com', 'Fay Wray'), // added; Eve removed
  license('CHGEVE0002', 'DB', 'ada@example.com', 'Ada Lovelace', { lastSeen: { lastSeenDate: ago(100), lastAssignmentDate: ago(300), isOfflineCodeGenerated: false } }),
];

describe('change feed', () => {
  const fx = useFixture();
  let sim: JetbrainsSimulator;
  let hub: TestHub;
  let id: string;
  const feed = (query = '') => hub.get(`/unified/user-directory/changes?integrated_account_id=${id}${query}`);

  beforeAll(async () => {
    const dataset = buildDataset('tiny');
    dataset.licenses = BEFORE;
    ({ sim, hub } = await fx.jetbrains({ dataset }));
    ({ id } = await connectSynced(hub));
  });

  it('records nothing for the first sync (the baseline) and still returns a cursor to poll with', async () => {
    const res = await feed().expect(200);
    expect(res.body).toEqual({ result: [], next_cursor: expect.any(String), result_count: 0 });
  });

  it('holds exactly what the second sync found, oldest first, and nothing for activity alone', async () => {
    const start = (await feed().expect(200)).body.next_cursor;
    sim.api.dataset = { ...sim.api.dataset, licenses: AFTER };
    sim.api.clearCache();
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    const run = await waitForLatestRun(hub, id);

    const res = await feed(`&next_cursor=${encodeURIComponent(start)}`).expect(200);
    const summary = res.body.result.map((c: { type: string; user_id: string }) => [c.type, c.user_id]);
    expect(summary).toEqual([
      ['user.added', 'fay@example.com'],
      ['user.removed', 'eve@example.com'],
      ['user.updated', 'ada@example.com'],
      ['user.updated', 'bob@example.com'],
      ['user.updated', 'cyd@example.com'],
      ['user.updated', 'dee@example.com'],
      ['seat.reclaimable', 'ada@example.com'],
    ]);
    const byType = (type: string) => res.body.result.filter((c: { type: string }) => c.type === type);
    expect(byType('user.added').map((c: { user_id: string }) => c.user_id)).toEqual(['fay@example.com']);
    expect(byType('user.removed').map((c: { user_id: string; name: string }) => [c.user_id, c.name])).toEqual([['eve@example.com', 'Eve Online']]);
    const updated = Object.fromEntries(byType('user.updated').map((c: { user_id: string; changes: unknown }) => [c.user_id, c.changes]));
    expect(Object.keys(updated).sort()).toEqual(['ada@example.com', 'bob@example.com', 'cyd@example.com', 'dee@example.com']);
    expect(updated['ada@example.com']).toEqual([
      { field: 'licenses', before: [{ id: 'CHGADA0001', product_code: 'II' }], after: [{ id: 'CHGADA0001', product_code: 'II' }, { id: 'CHGEVE0002', product_code: 'DB' }], added: [{ id: 'CHGEVE0002', product_code: 'DB' }], removed: [] },
    ]);
    expect(updated['bob@example.com']).toEqual([expect.objectContaining({ field: 'licenses', added: [], removed: [{ id: 'CHGBOB0002', product_code: 'GO' }] })]);
    expect(updated['cyd@example.com']).toEqual([expect.objectContaining({ field: 'licenses', added: [{ id: 'CHGBOB0002', product_code: 'GO' }], removed: [] })]);
    expect(updated['dee@example.com']).toEqual([{ field: 'status', before: 'active', after: 'suspended' }]);
    expect(byType('seat.reclaimable')).toEqual([
      expect.objectContaining({
        user_id: 'ada@example.com',
        seat: { id: 'CHGEVE0002', product_code: 'DB', product_name: 'DataGrip', reason: 'inactive', inactive_days: 60 },
      }),
    ]);
    // Numbered in order, stamped with the run that found them and when it finished.
    const ids = res.body.result.map((c: { id: number }) => c.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
    for (const change of res.body.result) expect(change).toMatchObject({ sync_run_id: run.id, occurred_at: run.finished_at });
    expect(res.body.result_count).toBe(7);
    expect(run.stats.changes).toBe(7);
  });

  it('never ends: polling after the last change returns nothing and the same position', async () => {
    const all = (await feed().expect(200)).body;
    const again = await feed(`&next_cursor=${encodeURIComponent(all.next_cursor)}`).expect(200);
    expect(again.body.result).toEqual([]);
    const third = await feed(`&next_cursor=${encodeURIComponent(again.body.next_cursor)}`).expect(200);
    expect(third.body.result).toEqual([]);
  });

  it('pages with its limit kept in the cursor, and starts at `since`', async () => {
    const first = (await feed('&limit=3').expect(200)).body;
    const second = (await feed(`&next_cursor=${encodeURIComponent(first.next_cursor)}`).expect(200)).body;
    expect([first.result_count, second.result_count]).toEqual([3, 3]);
    const all = (await feed().expect(200)).body.result;
    expect([...first.result, ...second.result].map((c: { id: number }) => c.id)).toEqual(all.slice(0, 6).map((c: { id: number }) => c.id));
    expect((await feed(`&since=${encodeURIComponent(all[0].occurred_at)}`).expect(200)).body.result_count).toBe(all.length);
    expect((await feed(`&since=${encodeURIComponent(new Date(Date.now() + DAY).toISOString())}`).expect(200)).body.result).toEqual([]);
    const bad = await feed('&since=yesterday').expect(400);
    expect(bad.body.message).toContain('since must be an ISO 8601 date-time');
  });

  it('misses and repeats nothing when a client polls while syncs run', async () => {
    const walked: number[] = [];
    let cursor = (await feed('&limit=2').expect(200)).body.next_cursor as string;
    const poll = async () => {
      const page = (await feed(`&next_cursor=${encodeURIComponent(cursor)}`).expect(200)).body;
      walked.push(...page.result.map((c: { id: number }) => c.id));
      cursor = page.next_cursor;
    };
    const start = (await feed().expect(200)).body.result.length;
    // Two more syncs, each slow enough to be polled in the middle, the data flipping between them.
    sim.faults.update({ latencyMs: 150 });
    for (const licenses of [BEFORE, AFTER]) {
      sim.api.dataset = { ...sim.api.dataset, licenses };
      sim.api.clearCache();
      await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
      for (let i = 0; i < 5; i++) {
        await poll();
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      await waitForLatestRun(hub, id);
    }
    sim.faults.update({ latencyMs: 0 });
    for (let i = 0; i < 10; i++) await poll();
    const all = (await feed('&limit=200').expect(200)).body.result.map((c: { id: number }) => c.id);
    // The walk began after the first 2; it saw every later change once, in order.
    expect(walked).toEqual(all.slice(2));
    expect(all.length).toBeGreaterThan(start);
    expect(new Set(walked).size).toBe(walked.length);
  });

  it('records nothing for a failed sync', async () => {
    const before = (await feed().expect(200)).body;
    sim.api.dataset = { ...sim.api.dataset, licenses: BEFORE };
    sim.api.clearCache();
    sim.faults.update({ script: ['ok', 'ok', 'malformed'] });
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    await waitForLatestRun(hub, id, 'failed');
    sim.faults.update({ script: [] });
    const after = (await feed(`&next_cursor=${encodeURIComponent(before.next_cursor)}`).expect(200)).body;
    expect(after.result).toEqual([]);
  });

  it('answers 410 for a cursor from before what the retention window kept', async () => {
    const all = (await feed().expect(200)).body;
    const early = (await feed('&limit=1').expect(200)).body.next_cursor;
    // What HUB_CHANGES_RETENTION does after 90 days, done now: the oldest changes are gone.
    const db = new BetterSqlite3(join(hub.dataDir, 'hub.sqlite'));
    db.prepare('delete from changes where account_id = ? and seq < ?').run(id, all.result[3].id);
    db.close();
    const gone = await feed(`&next_cursor=${encodeURIComponent(early)}`).expect(410);
    expect(gone.body).toMatchObject({ statusCode: 410, details: { code: 'CHANGES_EXPIRED' } });
    expect(gone.body.message).toContain('HUB_CHANGES_RETENTION');
    await feed(`&next_cursor=${encodeURIComponent(all.next_cursor)}`).expect(200);
  });
});

describe('change feed with the account\'s own inactivity window', () => {
  const fx = useFixture();

  it('records seat.reclaimable by the account\'s inactive_days', async () => {
    const dataset = buildDataset('tiny');
    dataset.licenses = BEFORE;
    const { sim, hub } = await fx.jetbrains({ dataset });
    const { id } = await connectSynced(hub);
    const patched = await hub.patch(`/integrated-accounts/${id}`, { inactive_days: 120 }).expect(200);
    expect(patched.body.inactive_days).toBe(120);
    await hub.patch(`/integrated-accounts/${id}`, { inactive_days: 0 }).expect(400);
    // Bob's WS seat last seen 100 days ago: reclaimable by 60 days, not by 120; Cyd's 150 days ago: by both.
    const seen = (days: number) => ({ lastSeen: { lastSeenDate: daysAgo(days), lastAssignmentDate: daysAgo(300), isOfflineCodeGenerated: false } });
    sim.api.dataset = {
      ...sim.api.dataset,
      licenses: BEFORE.map((l) => (l.licenseId === 'CHGBOB0001' ? { ...l, ...seen(100) } : l.licenseId === 'CHGCYD0001' ? { ...l, ...seen(150) } : l)),
    };
    sim.api.clearCache();
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    await waitForLatestRun(hub, id);
    const changes = (await hub.get(`/unified/user-directory/changes?integrated_account_id=${id}`).expect(200)).body.result;
    expect(changes.filter((c: { type: string }) => c.type === 'seat.reclaimable').map((c: { seat: unknown }) => c.seat)).toEqual([
      { id: 'CHGCYD0001', product_code: 'PC', product_name: 'PyCharm Professional', reason: 'inactive', inactive_days: 120 },
    ]);
  });
});

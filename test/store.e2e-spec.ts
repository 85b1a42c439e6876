import { openDatabase, HubDatabase } from '../src/store/database';
import { AccountsRepository } from '../src/store/accounts.repository';
import { DirectoryRepository, TOMBSTONE } from '../src/store/directory.repository';
import { SyncRunsRepository } from '../src/store/sync-runs.repository';
import type { DatabaseConfig } from '../src/config/hub-config';
import { freshSchema, postgresEnabled } from './support/postgres';
import { connect, eventually, tempDataDir, useFixture } from './support/fixture';
import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';

interface Backend {
  name: string;
  /** A database config and a cleanup. */
  open(): Promise<{ config: DatabaseConfig; env: Record<string, string>; cleanup: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = tempDataDir();
      return { config: { kind: 'sqlite', file: join(dir, 'hub.sqlite') }, env: { HUB_DATA_DIR: dir }, cleanup: async () => undefined };
    },
  },
];
if (postgresEnabled()) {
  backends.push({
    name: 'PostgreSQL',
    open: async () => {
      const schema = await freshSchema();
      return { config: { kind: 'postgres', url: schema.url }, env: { HUB_DATABASE_URL: schema.url }, cleanup: schema.drop };
    },
  });
}

const account = (id: string) => ({
  id,
  integration: 'jetbrains',
  name: id,
  status: 'active',
  credentials: '{}',
  credentials_key_id: 'k',
  access: '{}',
  current_snapshot_id: null,
  last_synced_at: null,
  last_sync_status: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});

describe.each(backends)('store on $name', (backend) => {
  const fx = useFixture();
  let db: HubDatabase;
  let cleanup: () => Promise<void>;
  let config: DatabaseConfig;

  beforeAll(async () => {
    const opened = await backend.open();
    cleanup = opened.cleanup;
    config = opened.config;
    db = await openDatabase(config);
  });

  afterAll(async () => {
    await db.destroy();
    await cleanup();
  });

  it('runs migrations idempotently', async () => {
    const again = await openDatabase(config);
    await again.destroy();
  });

  it('pages records in byte order of id, the order cursors rely on', async () => {
    const accounts = new AccountsRepository(db);
    const directory = new DirectoryRepository(db);
    await accounts.insert(account('acc-1'));
    const ids = ['b.c@x', 'a-b@x', 'a.b@x', 'ab@x', 'A@x', 'a_b@x', 'zz@x', 'a@x'];
    await directory.write('snap-1', 'users', ids.map((id) => ({ id, data: JSON.stringify({ id }), remote_data: null })));
    const expected = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const walked: string[] = [];
    let after: string | null = null;
    for (;;) {
      const rows = await directory.page('snap-1', 'users', after, 3);
      walked.push(...rows.slice(0, 3).map((r) => r.id));
      if (rows.length <= 3) break;
      after = rows[2]!.id;
    }
    expect(walked).toEqual(expected);
    expect(await directory.get('snap-1', 'users', 'zz@x')).toMatchObject({ id: 'zz@x', remote_data: null });
    expect(await directory.get('snap-1', 'groups', 'zz@x')).toBeUndefined();
  });

  it('switches snapshots atomically and removes rows no account serves', async () => {
    const accounts = new AccountsRepository(db);
    const directory = new DirectoryRepository(db);
    await accounts.insert(account('acc-2'));
    await directory.write('snap-a', 'users', [{ id: 'u1', data: '{}', remote_data: '[]' }]);
    await accounts.update('acc-2', { current_snapshot_id: 'snap-a', last_synced_at: 'now', last_sync_status: 'succeeded' });
    await directory.write('snap-b', 'users', [{ id: 'u2', data: '{}', remote_data: null }]);
    expect((await accounts.findById('acc-2'))!.current_snapshot_id).toBe('snap-a');
    // snap-b is a half-finished run, snap-1 belongs to no account: both go; snap-a stays.
    await directory.deleteOrphans();
    expect(await directory.all('snap-a', 'users')).toHaveLength(1);
    expect(await directory.all('snap-b', 'users')).toHaveLength(0);
  });

  it('reads a list through its overlay: overlay records win, tombstones drop, pages stay full', async () => {
    const directory = new DirectoryRepository(db);
    const base = Array.from({ length: 10 }, (_, i) => ({ id: `u${i}`, data: `{"v":"base${i}"}`, remote_data: null }));
    await directory.write('snap-o', 'users', base);
    await directory.write('snap-o', 'users:with-outdated', [
      { id: 'u1', data: '{"v":"over1"}', remote_data: '[1]' },
      { id: 'u2', data: TOMBSTONE, remote_data: null },
      { id: 'u3', data: TOMBSTONE, remote_data: null },
      { id: 'u4', data: TOMBSTONE, remote_data: null },
      { id: 'u35', data: '{"v":"only-in-variant"}', remote_data: null },
    ]);
    const walked: string[] = [];
    let after: string | null = null;
    for (;;) {
      const rows = await directory.pageWithOverlay('snap-o', 'users', 'users:with-outdated', after, 2);
      walked.push(...rows.slice(0, 2).map((r) => JSON.parse(r.data).v));
      if (rows.length <= 2) break;
      after = rows[1]!.id;
    }
    expect(walked).toEqual(['base0', 'over1', 'only-in-variant', 'base5', 'base6', 'base7', 'base8', 'base9']);
    expect(await directory.getWithOverlay('snap-o', 'users', 'users:with-outdated', 'u2')).toBeUndefined();
    expect((await directory.getWithOverlay('snap-o', 'users', 'users:with-outdated', 'u1'))!.remote_data).toBe('[1]');
    expect((await directory.getWithOverlay('snap-o', 'users', 'users:with-outdated', 'u0'))!.data).toBe('{"v":"base0"}');
  });

  it('assembles remote_data from parts written before the records, in each record\'s order', async () => {
    const directory = new DirectoryRepository(db);
    await directory.writeParts('snap-p', 'users', [
      { part_id: 'L3', data: '{"l":3}' },
      { part_id: 'L1', data: '{"l":1}' },
    ]);
    await directory.writeParts('snap-p', 'users', [{ part_id: 'L2', data: '{"l":2}' }]);
    await directory.write('snap-p', 'users', [
      { id: 'a', data: '{"v":"a"}', remote_data: null, remote_part_ids: ['L3', 'L1'] },
      { id: 'b', data: '{"v":"b"}', remote_data: '{"whole":true}' },
      { id: 'c', data: '{"v":"c"}', remote_data: null },
    ]);
    await directory.write('snap-p', 'users:with-outdated', [{ id: 'a', data: '{"v":"a+"}', remote_data: null, remote_part_ids: ['L1', 'L2', 'L3'] }]);

    const page = await directory.page('snap-p', 'users', null, 10, true);
    expect(page.map((r) => [r.id, r.remote_data])).toEqual([
      ['a', '[{"l":3},{"l":1}]'],
      ['b', '{"whole":true}'],
      ['c', null],
    ]);
    expect((await directory.page('snap-p', 'users', null, 10, false)).map((r) => r.remote_data)).toEqual([null, null, null]);
    const variant = await directory.pageWithOverlay('snap-p', 'users', 'users:with-outdated', null, 10, true);
    expect(variant[0]).toMatchObject({ id: 'a', data: '{"v":"a+"}', remote_data: '[{"l":1},{"l":2},{"l":3}]' });
    expect((await directory.get('snap-p', 'users', 'a'))!.remote_data).toBe('[{"l":3},{"l":1}]');
    expect((await directory.getWithOverlay('snap-p', 'users', 'users:with-outdated', 'a'))!.remote_data).toBe('[{"l":1},{"l":2},{"l":3}]');

    // Parts go with their snapshot, and with orphaned ones.
    await directory.deleteSnapshot('snap-p');
    await directory.writeParts('snap-q', 'users', [{ part_id: 'L9', data: '{}' }]);
    await directory.write('snap-p', 'users', [{ id: 'a', data: '{}', remote_data: null, remote_part_ids: ['L1'] }]);
    expect((await directory.get('snap-p', 'users', 'a'))!.remote_data).toBe('[null]');
    await directory.deleteOrphans();
    await directory.write('snap-q', 'users', [{ id: 'q', data: '{}', remote_data: null, remote_part_ids: ['L9'] }]);
    expect((await directory.get('snap-q', 'users', 'q'))!.remote_data).toBe('[null]');
  });

  it('writes large snapshots in batches', async () => {
    const directory = new DirectoryRepository(db);
    const records = Array.from({ length: 2_345 }, (_, i) => ({ id: `u${String(i).padStart(5, '0')}`, data: '{}', remote_data: null }));
    await directory.write('snap-big', 'licenses', records);
    expect(await directory.all('snap-big', 'licenses')).toHaveLength(2_345);
    await directory.deleteSnapshot('snap-big');
    expect(await directory.all('snap-big', 'licenses')).toHaveLength(0);
  });

  it('finds unfinished sync runs and cascades runs with their account', async () => {
    const accounts = new AccountsRepository(db);
    const runs = new SyncRunsRepository(db);
    await accounts.insert(account('acc-3'));
    const run = { account_id: 'acc-3', trigger: 'manual', queued_at: 'q', started_at: null, finished_at: null, stats: '{}', error_code: null, error_message: null, owner: null, lease_until: null, follow_up: null };
    await runs.insert({ ...run, id: 'r1', status: 'running' });
    await runs.insert({ ...run, id: 'r2', status: 'succeeded' });
    expect((await runs.unfinished()).map((r) => r.id)).toEqual(['r1']);
    expect((await runs.page('acc-3', null, 10)).map((r) => r.id)).toEqual(['r2', 'r1']);
    await accounts.delete('acc-3');
    expect(await runs.find('acc-3', 'r2')).toBeUndefined();
  });

  it('serves the hub end to end and keeps everything across a restart', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const { env, cleanup } = await backend.open();
    fx.onClose(cleanup);
    const dataDir = tempDataDir();
    const hub = await fx.hub({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_DATA_DIR: dataDir, ...env });
    const created = await connect(hub);
    const url = `/unified/user-directory/users?integrated_account_id=${created.id}`;
    const before = await eventually(() => hub.get(url).expect(200));
    expect(before.body.result_count).toBe(8);
    await hub.close();
    const again = await fx.hub({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_DATA_DIR: dataDir, ...env });
    const after = await again.get(url).expect(200);
    expect(after.body).toEqual(before.body);
    await again.post(`/integrated-accounts/${created.id}/test`).expect(200);
  });
});

describe('SQLite checkpoints', () => {
  const fx = useFixture();

  it('folds the WAL into the database file in the background once writes pause', async () => {
    const file = join(tempDataDir(), 'hub.sqlite');
    const db = await openDatabase({ kind: 'sqlite', file });
    fx.onClose(() => db.destroy());
    const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : 0);
    const start = sizeOf(file);
    const big = 'x'.repeat(2_000);
    await new DirectoryRepository(db).write('snap-wal', 'users', Array.from({ length: 2_000 }, (_, i) => ({ id: `u${i}`, data: big, remote_data: null })));
    // The writes went to the WAL; the checkpointer thread (not this connection) copies them over.
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(4_000_000);
    await eventually(async () => expect(sizeOf(file) - start).toBeGreaterThan(4_000_000), 10_000);
  });
});

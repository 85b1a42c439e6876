import { join } from 'node:path';
import type { DatabaseConfig } from '../src/config/hub-config';
import { AccountsRepository } from '../src/store/accounts.repository';
import { HubDatabase, openDatabase } from '../src/store/database';
import { SyncRunRow, SyncRunsRepository } from '../src/store/sync-runs.repository';
import { tempDataDir } from './support/fixture';
import { freshSchema, postgresEnabled } from './support/postgres';

/**
 * The database guard and the lease statements, on both databases, through two separate
 * connections (as two hub processes have).
 */
const backends: { name: string; open(): Promise<{ config: DatabaseConfig; drop: () => Promise<void> }> }[] = [
  { name: 'SQLite', open: async () => ({ config: { kind: 'sqlite', file: join(tempDataDir(), 'hub.sqlite') }, drop: async () => undefined }) },
];
if (postgresEnabled()) {
  backends.push({
    name: 'PostgreSQL',
    open: async () => {
      const schema = await freshSchema();
      return { config: { kind: 'postgres', url: schema.url }, drop: schema.drop };
    },
  });
}

const run = (id: string, owner: string, leaseUntil: string): SyncRunRow => ({
  id, account_id: 'acc', trigger: 'manual', status: 'queued', queued_at: '2026-01-01T00:00:00.000Z', started_at: null, finished_at: null,
  stats: '{}', error_code: null, error_message: null, owner, lease_until: leaseUntil, follow_up: null,
});

describe.each(backends)('sync run guard on $name', (backend) => {
  let one: HubDatabase;
  let two: HubDatabase;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    const opened = await backend.open();
    drop = opened.drop;
    one = await openDatabase(opened.config);
    two = await openDatabase(opened.config);
    await new AccountsRepository(one).insert({
      id: 'acc', integration: 'jetbrains', name: 'acc', status: 'active', credentials: '{}', credentials_key_id: 'k', access: '{}',
      current_snapshot_id: null, last_synced_at: null, last_sync_status: null, created_at: 'c', updated_at: 'u',
    });
  });

  afterEach(async () => {
    await one.destroy();
    await two.destroy();
    await drop();
  });

  it('lets one of two concurrent starts register a run; the other gets that run', async () => {
    const [a, b] = [new SyncRunsRepository(one), new SyncRunsRepository(two)];
    const results = await Promise.all([a.insertUnfinished(run('r-a', 'A', '2026-01-01T00:01:00.000Z')), b.insertUnfinished(run('r-b', 'B', '2026-01-01T00:01:00.000Z'))]);
    const registered = results.filter((r) => r === null);
    expect(registered).toHaveLength(1);
    const winner = results[0] === null ? 'r-a' : 'r-b';
    expect(results.find((r) => r !== null)!.id).toBe(winner);
    expect((await a.unfinished()).map((r) => r.id)).toEqual([winner]);
    // A plain insert of a second unfinished run is refused by the index itself.
    await expect(a.insert(run('r-c', 'A', 'x'))).rejects.toMatchObject({ code: expect.stringMatching(/^(23505|SQLITE_CONSTRAINT_UNIQUE)$/) });
    // Once the run is finished, the next one registers.
    await a.update(winner, { status: 'succeeded' });
    expect(await b.insertUnfinished(run('r-d', 'B', 'x'))).toBeNull();
  });

  it('reclaims only a lease seen expired and not renewed since, and never lets the old owner commit after', async () => {
    const [a, b] = [new SyncRunsRepository(one), new SyncRunsRepository(two)];
    await a.insertUnfinished(run('r1', 'A', '2026-01-01T00:00:10.000Z'));
    const claimed = await a.claim('r1', 'A', '2026-01-01T00:00:20.000Z', '2026-01-01T00:00:01.000Z');
    expect(claimed).toMatchObject({ status: 'running', owner: 'A' });
    // Another worker cannot take it twice.
    expect(await b.claim('r1', 'B', 'x', 'y')).toBeUndefined();
    const seen = (await b.unfinished())[0]!;
    // A renews after B looked: B's reclaim (made on what it saw) does nothing.
    expect(await a.renewLeases('A', ['r1'], '2026-01-01T00:00:30.000Z')).toEqual(['r1']);
    expect(await b.reclaim(seen, { error_code: 'HUB_RESTARTED' })).toBe(false);
    // A stops renewing: B reclaims what it sees now.
    const stale = (await b.unfinished())[0]!;
    expect(await b.reclaim(stale, { error_code: 'HUB_RESTARTED' })).toBe(true);
    // A wakes up and tries to finish either way: nothing changes.
    expect(await a.commitSuccess('r1', 'A', { finished_at: 'f' }, 'acc', { current_snapshot_id: 'r1' })).toBe(false);
    expect(await a.finishOwned('r1', 'A', { error_code: 'INTERNAL' })).toBe(false);
    expect(await a.renewLeases('A', ['r1'], 'later')).toEqual([]);
    expect(await a.find('acc', 'r1')).toMatchObject({ status: 'failed', error_code: 'HUB_RESTARTED' });
    expect((await new AccountsRepository(one).findById('acc'))!.current_snapshot_id).toBeNull();
  });

  it('records one follow-up on a running run and hands it over when the run finishes', async () => {
    const a = new SyncRunsRepository(one);
    await a.insertUnfinished(run('r1', 'A', 'x'));
    expect(await a.requestFollowUp('r1', 'manual')).toBe(false); // still queued: it has not read anything yet
    await a.claim('r1', 'A', 'x', 's');
    expect(await a.requestFollowUp('r1', 'manual')).toBe(true);
    expect(await a.requestFollowUp('r1', 'manual')).toBe(true);
    expect(await a.commitSuccess('r1', 'A', { finished_at: 'f' }, 'acc', { current_snapshot_id: 'r1' })).toBe('manual');
    expect(await a.requestFollowUp('r1', 'manual')).toBe(false);
  });
});

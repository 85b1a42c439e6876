import { capturedLogs, connect, connectSynced, eventually, HubProcess, JETBRAINS_CREDENTIALS as CREDENTIALS, useFixture, waitForLatestRun, walkIds, walkUserIds } from './support/fixture';

describe('sync reliability', () => {
  const fx = useFixture();

  it('keeps a client walking pages consistent while a sync swaps the snapshot', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' });
    const { id } = await connectSynced(hub);
    const before = await walkUserIds(hub, id);

    const first = await hub.get(`/unified/user-directory/users?integrated_account_id=${id}&limit=3`).expect(200);
    // Between two pages: one person leaves, two arrive (one before and one after the cursor).
    const licenses = sim.api.dataset.licenses;
    delete licenses.find((l) => l.licenseId === 'AAAAAAA006')!.assignee; // jcvd, on the next page
    licenses.find((l) => l.licenseId === 'AAAAAAA007')!.assignee = { type: 'USER', name: 'Aaron A', email: 'aaron@example.com' };
    licenses.find((l) => l.licenseId === 'AAAAAAA017')!.assignee = { type: 'USER', name: 'Zed Z', email: 'zed@example.com' };
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    const swapped = await waitForLatestRun(hub, id, 'succeeded');
    expect(swapped.stats).toMatchObject({ users_added: 2, users_removed: 1 });

    const seen: string[] = first.body.result.map((u: { id: string }) => u.id);
    let cursor: string | null = first.body.next_cursor;
    while (cursor) {
      const res = await hub.get(`/unified/user-directory/users?integrated_account_id=${id}&limit=3&next_cursor=${encodeURIComponent(cursor)}`).expect(200);
      seen.push(...res.body.result.map((u: { id: string }) => u.id));
      cursor = res.body.next_cursor;
    }
    const after = await walkUserIds(hub, id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const user of before.filter((u) => after.includes(u))) expect(seen).toContain(user);
    expect(seen).toContain('zed@example.com');
  });

  it('stops a run that outlasts HUB_SYNC_BUDGET and keeps the previous data', async () => {
    // 1k licenses: the first sync stays well inside the budget even on a loaded machine; then every
    // request takes 600 ms, and token + first page + the rest outlast it.
    const { sim, hub } = await fx.jetbrains({ dataset: '1k' }, { HUB_SYNC_BUDGET: '1s' });
    const { id } = await connectSynced(hub);
    const before = await walkUserIds(hub, id);
    sim.faults.update({ latencyMs: 600 });
    const started = Date.now();
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    const failed = await waitForLatestRun(hub, id, 'failed');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(failed.error.code).toBe('SYNC_BUDGET_EXCEEDED');
    sim.faults.update({ latencyMs: 0 });
    expect(await walkUserIds(hub, id)).toEqual(before);
    expect((await hub.get(`/integrated-accounts/${id}`).expect(200)).body).toMatchObject({ status: 'active', last_sync_status: 'failed' });
  });

  it('honours Retry-After in HTTP-date form and reports rate limiting as 429 when retries run out', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: 'tiny', faults: { retryAfterFormat: 'http-date', retryAfterSeconds: 1 } });
    sim.faults.update({ script: ['429-retry-after'] });
    const started = Date.now();
    const first = await connect(hub);
    // The HTTP-date has one-second resolution: the wait is between 0 and 1 s, never the backoff's guess.
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(capturedLogs.some((l) => /retry 1\/5 of GET \/api\/v1\/token after UPSTREAM_RATE_LIMITED.*\(Retry-After\)/.test(l))).toBe(true);

    await waitForLatestRun(hub, first.id, 'succeeded');
    sim.faults.update({ script: Array(6).fill('429'), retryAfterFormat: 'seconds' });
    const res = await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: CREDENTIALS }).expect(429);
    expect(res.body.details).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', upstream_status: 429 });
    expect(res.headers['retry-after']).toEqual(expect.any(String));
    sim.faults.update({ script: [] });
  });

  it('replaces credentials with PATCH, testing them first', async () => {
    const { hub } = await fx.jetbrains({ dataset: 'tiny' });
    const { id } = await connectSynced(hub);
    const bad = await hub.patch(`/integrated-accounts/${id}`, { credentials: { ...CREDENTIALS, api_key: 'wrong' } }).expect(400);
    expect(bad.body.details.code).toBe('UPSTREAM_AUTH_FAILED');
    const renamed = await hub.patch(`/integrated-accounts/${id}`, { name: 'Renamed', credentials: CREDENTIALS }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', status: 'active' });
    await hub.patch(`/integrated-accounts/${id}`, { credentials: { customer_code: 'x' } }).expect(400);
    await hub.patch(`/integrated-accounts/${id}`, { nope: 1 }).expect(400);
  });

  it('loses nothing when the hub process is killed mid-sync', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: '10k' });
    const base = await fx.spawnHub({ JETBRAINS_BASE_URL: sim.baseUrl });
    const id: string = (await base.json('/integrated-accounts', { method: 'POST', body: JSON.stringify({ integration: 'jetbrains', credentials: CREDENTIALS }) })).id;
    await eventually(async () => {
      const run = (await base.json(`/integrated-accounts/${id}/syncs`)).result[0];
      if (run.status !== 'succeeded') throw new Error(run.status);
    }, 60_000);
    const before = await walkOver(base, id);
    sim.faults.update({ latencyMs: 300 });
    await base.call(`/integrated-accounts/${id}/sync`, { method: 'POST' });
    await eventually(async () => {
      const run = (await base.json(`/integrated-accounts/${id}/syncs`)).result[0];
      if (run.status !== 'running' || run.stats.progress.pages_done < 2) throw new Error('not mid-run yet');
    });
    await base.kill('SIGKILL');

    sim.faults.update({ latencyMs: 0 });
    const again = await fx.spawnHub({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_DATA_DIR: base.dataDir });
    const runs = (await again.json(`/integrated-accounts/${id}/syncs`)).result;
    expect(runs[0]).toMatchObject({ status: 'failed', error: { code: 'HUB_RESTARTED' } });
    expect(runs[1]).toMatchObject({ status: 'succeeded' });
    expect(await walkOver(again, id)).toEqual(before);
  }, 90_000);
});

/** walkUserIds() for a hub process (no status check, as fetch() gives it). */
function walkOver(hub: HubProcess, id: string): Promise<string[]> {
  return walkIds((query) => hub.json(`/unified/user-directory/users?integrated_account_id=${id}&limit=200${query}`));
}

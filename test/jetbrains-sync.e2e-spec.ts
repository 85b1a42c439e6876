import { SyncScheduler } from '../src/sync/sync.scheduler';
import { SIM_ADMIN_TOKEN } from '../sandbox/jetbrains/dataset';
import { connect, connectSynced, eventually, useFixture, waitForLatestRun, walkUserIds } from './support/fixture';

describe('JetBrains sync', () => {
  const fx = useFixture();

  it('waits for the first sync when a read arrives right after connecting', async () => {
    const { hub } = await fx.jetbrains({ dataset: 'tiny', faults: { latencyMs: 150 } }, { HUB_FIRST_SYNC_WAIT: '10s' });
    const { id } = await connect(hub);
    const res = await hub.get(`/unified/user-directory/users?integrated_account_id=${id}`).expect(200);
    expect(res.body.result_count).toBe(8);
  });

  it('answers 503 with Retry-After while the first sync outlasts the wait', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' }, { HUB_FIRST_SYNC_WAIT: '100ms' });
    sim.faults.update({ latencyMs: 700 });
    const { id } = await connect(hub);
    const res = await hub.get(`/unified/user-directory/users?integrated_account_id=${id}`).expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ statusCode: 503, details: { code: 'SYNC_PENDING' } });
    await waitForLatestRun(hub, id);
    await hub.get(`/unified/user-directory/users?integrated_account_id=${id}`).expect(200);
  });

  it('records a failed first sync and says so instead of serving an empty list', async () => {
    const { hub } = await fx.jetbrains({ dataset: 'tiny', faults: { script: ['ok', 'malformed'] } });
    const { id } = await connect(hub);
    const run = await waitForLatestRun(hub, id, 'failed');
    expect(run.error).toEqual({ code: 'UPSTREAM_MALFORMED_RESPONSE', message: expect.stringMatching(/could not read/) });
    const res = await hub.get(`/unified/user-directory/users?integrated_account_id=${id}`).expect(503);
    expect(res.body.details.code).toBe('SYNC_FAILED');
    expect((await hub.get(`/integrated-accounts/${id}`).expect(200)).body.last_sync_status).toBe('failed');
  });

  it('keeps the last good data and marks needs_reauth when the token is revoked; a good test restores it', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' });
    const { id, run: first } = await connectSynced(hub);
    expect(first.stats).toMatchObject({ users: 8, users_added: 8, users_removed: 0, upstream_requests: 3 });
    const before = await walkUserIds(hub, id);

    const tokens = sim.api.dataset.tokens;
    sim.api.dataset.tokens = tokens.filter((t) => t.apiKey !== SIM_ADMIN_TOKEN);
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    const failed = await waitForLatestRun(hub, id, 'failed');
    expect(failed.error.code).toBe('UPSTREAM_AUTH_FAILED');
    expect((await hub.get(`/integrated-accounts/${id}`).expect(200)).body.status).toBe('needs_reauth');
    expect(await walkUserIds(hub, id)).toEqual(before);

    await hub.post(`/integrated-accounts/${id}/test`).expect(400);
    sim.api.dataset.tokens = tokens;
    await hub.post(`/integrated-accounts/${id}/test`).expect(200);
    expect((await hub.get(`/integrated-accounts/${id}`).expect(200)).body.status).toBe('active');
  });

  it('sees changes on the next sync: added and removed people', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' });
    const { id } = await connectSynced(hub);
    // Revoke Linus's only license and assign a free one to someone new.
    const linus = sim.api.dataset.licenses.find((l) => l.licenseId === 'AAAAAAA004')!;
    delete linus.assignee;
    const free = sim.api.dataset.licenses.find((l) => l.licenseId === 'AAAAAAA007')!;
    free.assignee = { type: 'USER', name: 'Barbara Liskov', email: 'barbara@example.com' };
    const started = await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    expect(started.body).toMatchObject({ trigger: 'manual' });
    expect(['queued', 'running']).toContain(started.body.status);
    const again = await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    expect(again.body.id).toBe(started.body.id);
    // Asked again once it was reading: that run is returned, and (then) one more follows it.
    const run = await eventually(async () => {
      const one = (await hub.get(`/integrated-accounts/${id}/syncs/${started.body.id}`).expect(200)).body;
      if (one.status !== 'succeeded') throw new Error(`run is ${one.status}`);
      return one;
    }, 60_000);
    expect(run.stats).toMatchObject({ users: 8, users_added: 1, users_removed: 1 });
    const ids = await walkUserIds(hub, id);
    expect(ids).toContain('barbara@example.com');
    expect(ids).not.toContain('linus@example.com');
    const one = await hub.get(`/integrated-accounts/${id}/syncs/${run.id}`).expect(200);
    expect(one.body).toMatchObject({ id: run.id, status: 'succeeded', duration_ms: expect.any(Number) });
    await hub.get(`/integrated-accounts/${id}/syncs/nope`).expect(404);
  });

  it('reads the same people whatever `assigned` defaults to and with or without X-Total-Count', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: '1k' });
    const { id: reference } = await connectSynced(hub);
    const expected = await walkUserIds(hub, reference);
    expect(expected.length).toBeGreaterThan(300);

    for (const behaviour of [{ assignedDefault: 'unassigned' as const }, { sendTotalCount: false }]) {
      Object.assign(sim.api.behaviour, { assignedDefault: 'all', sendTotalCount: true }, behaviour);
      const { id } = await connectSynced(hub);
      expect(await walkUserIds(hub, id)).toEqual(expected);
      const plans = await hub.get(`/unified/user-directory/licenses?integrated_account_id=${id}&limit=200`).expect(200);
      const refPlans = await hub.get(`/unified/user-directory/licenses?integrated_account_id=${reference}&limit=200`).expect(200);
      expect(plans.body.result).toEqual(refPlans.body.result);
    }
    // Every list request asked for assigned licenses explicitly, at the largest page size.
    const listCalls = sim.requests.filter((r) => r.url.includes('/customer/licenses?'));
    expect(listCalls.every((r) => /assigned=(true|false)/.test(r.url) && r.url.includes('perPage=200'))).toBe(true);
  });

  it('syncs realistic data (shuffled, scattered, letter-case variants, +tags, any script) to exactly its people', async () => {
    // 10k licenses: about 4,000 people, so the records come back in several chunks, asked for ahead.
    const { sim, hub } = await fx.jetbrains({ dataset: '10k' });
    const { id } = await connectSynced(hub);
    // The people as the dataset has them: one per address in lower case, holding a current license.
    const people = new Map<string, { licenses: string[]; spellings: Set<string>; name: string | null }>();
    for (const l of sim.api.dataset.licenses) {
      if (l.assignee?.type !== 'USER' || l.subscription?.isOutdated) continue;
      const key = l.assignee.email.toLowerCase();
      const person = people.get(key) ?? { licenses: [], spellings: new Set(), name: l.assignee.name?.trim() || null };
      person.licenses.push(l.licenseId);
      person.spellings.add(l.assignee.email);
      people.set(key, person);
    }
    expect(await walkUserIds(hub, id, 37)).toEqual([...people.keys()].sort());

    const pick = (pred: (email: string, p: { spellings: Set<string>; name: string | null }) => boolean) => [...people].find(([e, p]) => pred(e, p))!;
    const samples = [
      pick((_, p) => p.spellings.size > 1),
      pick((e) => e.includes('+')),
      pick((_, p) => /[^\x00-\x7f]/.test(p.name ?? '')),
      pick((_, p) => /\p{Script=Cyrillic}|\p{Script=Han}|\p{Script=Arabic}|\p{Script=Greek}/u.test(p.name ?? '')),
    ];
    for (const [email, person] of samples) {
      const user = (await hub.get(`/unified/user-directory/users/${encodeURIComponent(email)}?integrated_account_id=${id}`).expect(200)).body;
      expect({ id: user.id, email: user.email, name: user.name, licenses: user.licenses.map((l: { id: string }) => l.id).sort() }).toEqual({
        id: email,
        email,
        name: person.name,
        licenses: [...person.licenses].sort(),
      });
      expect(person.spellings).toContain(user.remote_id);
    }
  });

  it('runs at most HUB_SYNC_CONCURRENCY syncs at once; the others wait as queued', async () => {
    const { hub } = await fx.jetbrains({ dataset: 'tiny', faults: { latencyMs: 300 } }, { HUB_SYNC_CONCURRENCY: '1', HUB_FIRST_SYNC_WAIT: '0s' });
    const { id: first } = await connect(hub);
    const { id: second } = await connect(hub);
    const waiting = (await hub.get(`/integrated-accounts/${second}/syncs`).expect(200)).body.result[0];
    expect(waiting).toMatchObject({ status: 'queued', started_at: null });
    expect((await hub.get(`/integrated-accounts/${first}/syncs`).expect(200)).body.result[0].status).toBe('running');
    await hub.get(`/unified/user-directory/users?integrated_account_id=${second}`).expect(503);
    const done = await waitForLatestRun(hub, second);
    const firstDone = await waitForLatestRun(hub, first);
    expect(Date.parse(done.started_at)).toBeGreaterThanOrEqual(Date.parse(firstDone.finished_at));
  });

  it('ends with exactly the clean result under 429s, 500s, resets and slow answers', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: '10k' }, { HUB_UPSTREAM_TIMEOUT: '2s' });
    sim.faults.update({ latencyMs: 5 });
    const { id: clean } = await connectSynced(hub);
    const expected = await walkUserIds(hub, clean);
    // Pages after the first were fetched concurrently, but never more than 8 at once.
    expect(sim.faults.stats.maxInFlight).toBeGreaterThan(2);
    expect(sim.faults.stats.maxInFlight).toBeLessThanOrEqual(8);

    sim.faults.update({ rate429: 0.2, retryAfterShare: 0.5, retryAfterSeconds: 1, rate500: 0.1, rateReset: 0.03, rateSlow: 0.02, slowMs: 3000, seed: 42 });
    const { id: faulty, run } = await connectSynced(hub);
    expect(run.stats.retries).toBeGreaterThan(5);
    expect(Object.keys(run.stats.retry_reasons)).toEqual(expect.arrayContaining(['UPSTREAM_RATE_LIMITED', 'UPSTREAM_UNAVAILABLE']));
    expect(await walkUserIds(hub, faulty)).toEqual(expected);
  });

  it('loses nothing across a restart and syncs accounts on schedule', async () => {
    const { sim, hub: first } = await fx.jetbrains({ dataset: 'tiny' });
    const { id } = await connectSynced(first);
    const before = await walkUserIds(first, id);
    await first.close();

    const second = await fx.hub({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_DATA_DIR: first.dataDir });
    expect((await second.get(`/integrated-accounts/${id}`).expect(200)).body).toMatchObject({ status: 'active', last_sync_status: 'succeeded' });
    expect(await walkUserIds(second, id)).toEqual(before);
    // Credentials survive the restart (decrypted with the same key).
    await second.post(`/integrated-accounts/${id}/test`).expect(200);
    const scheduler = second.app.get(SyncScheduler);
    expect(await scheduler.tick(Date.now())).toBe(0);
    expect(await scheduler.tick(Date.now() + 7 * 3_600_000)).toBe(1);
    const runs = await eventually(async () => {
      const res = await second.get(`/integrated-accounts/${id}/syncs`).expect(200);
      if (res.body.result[0].status !== 'succeeded' || res.body.result.length < 2) throw new Error('not yet');
      return res.body.result;
    });
    expect(runs[0].trigger).toBe('scheduled');
  });
});

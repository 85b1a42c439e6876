import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { JetbrainsSimulator, startJetbrainsSimulator } from '../sandbox/jetbrains/server';
import { startHub, TestHub, waitForLatestRun } from './support/hub-harness';

/**
 * `source=live` on JetBrains must read every license page (people are assembled from licenses).
 * Concurrent live reads of one account share that read, a second wave within HUB_LIVE_CACHE_TTL
 * makes no request, and accounts are never mixed. Counted by the simulator's request counter.
 */
const CREDENTIALS = { customer_code: String(SIM_CUSTOMER_CODE), api_key: SIM_ADMIN_TOKEN };

async function connect(hub: TestHub): Promise<{ id: string; readRequests: number }> {
  const id = (await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: CREDENTIALS, allow_duplicate: true }).expect(201)).body.id;
  const run = await waitForLatestRun(hub, id, 'succeeded');
  // A sync reads GET /token and every license page: exactly what one full live read needs.
  return { id, readRequests: run.stats.upstream_requests };
}

const live = (hub: TestHub, id: string, query = 'limit=1') => hub.get(`/unified/user-directory/users?integrated_account_id=${id}&source=live&${query}`).expect(200);

describe('source=live reads of JetBrains (10k licenses)', () => {
  let sim: JetbrainsSimulator;
  let hub: TestHub;
  let a: { id: string; readRequests: number };
  let b: { id: string; readRequests: number };

  beforeAll(async () => {
    sim = await startJetbrainsSimulator({ dataset: '10k' });
    hub = await startHub({ JETBRAINS_BASE_URL: sim.baseUrl });
    a = await connect(hub);
    b = await connect(hub);
  });

  afterAll(async () => {
    await hub.close();
    await sim.close();
  });

  it('12 concurrent reads of each of two accounts make one full read per account, with identical answers', async () => {
    expect(a.readRequests).toBeGreaterThan(50);
    sim.faults.resetStats();
    const answers = await Promise.all([...Array(12)].flatMap(() => [live(hub, a.id), live(hub, b.id)]));
    // One read for A and one for B: the two accounts are never coalesced.
    expect(sim.faults.stats.requests).toBe(a.readRequests + b.readRequests);
    const ofA = answers.filter((_, i) => i % 2 === 0).map((r) => JSON.stringify(r.body));
    const ofB = answers.filter((_, i) => i % 2 === 1).map((r) => JSON.stringify(r.body));
    expect(new Set(ofA).size).toBe(1);
    expect(new Set(ofB).size).toBe(1);
    // Same organization: the same people as a separate read of the other account, and as the sync stored.
    expect(answers[0]!.body.result).toEqual(answers[1]!.body.result);
    const synced = await hub.get(`/unified/user-directory/users?integrated_account_id=${a.id}&limit=1`).expect(200);
    expect(answers[0]!.body.result).toEqual(synced.body.result);
  });

  it('a second wave within HUB_LIVE_CACHE_TTL, further pages and the other lists make no request', async () => {
    const first = await live(hub, a.id);
    sim.faults.resetStats();
    const wave = await Promise.all([...Array(12)].map(() => live(hub, a.id)));
    for (const res of wave) expect(res.body).toEqual(first.body);
    const next = await live(hub, a.id, `limit=50&next_cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(next.body.result).toHaveLength(50);
    await hub.get(`/unified/user-directory/groups?integrated_account_id=${a.id}&source=live`).expect(200);
    await hub.get(`/unified/user-directory/licenses?integrated_account_id=${a.id}&source=live&include_outdated=true`).expect(200);
    expect(sim.faults.stats.requests).toBe(0);
  });

  it('new credentials (PATCH) are read afresh, not served from the old read', async () => {
    await hub.patch(`/integrated-accounts/${a.id}`, { credentials: CREDENTIALS }).expect(200);
    // New credentials start a sync with them; let it finish so only the live reads are counted.
    await waitForLatestRun(hub, a.id, 'succeeded');
    sim.faults.resetStats();
    await Promise.all([...Array(4)].map(() => live(hub, a.id)));
    expect(sim.faults.stats.requests).toBe(a.readRequests);
  });
});

describe('source=live with HUB_LIVE_CACHE_TTL=0 and a short HUB_SYNC_BUDGET', () => {
  let sim: JetbrainsSimulator;
  let hub: TestHub;
  let account: { id: string; readRequests: number };

  beforeAll(async () => {
    // 1k licenses: the first sync fits the 1 s budget even on a loaded machine.
    sim = await startJetbrainsSimulator({ dataset: '1k' });
    hub = await startHub({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_LIVE_CACHE_TTL: '0', HUB_SYNC_BUDGET: '1s' });
    account = await connect(hub);
  });

  afterAll(async () => {
    await hub.close();
    await sim.close();
  });

  it('keeps nothing after a read, but concurrent reads still share one', async () => {
    sim.faults.resetStats();
    await live(hub, account.id);
    await live(hub, account.id);
    expect(sim.faults.stats.requests).toBe(2 * account.readRequests);
    sim.faults.resetStats();
    await Promise.all([...Array(6)].map(() => live(hub, account.id)));
    expect(sim.faults.stats.requests).toBe(account.readRequests);
  });

  it('stops a live read that outlasts HUB_SYNC_BUDGET with 504, and the next read starts afresh', async () => {
    // Every request now takes 600 ms: token, first page and the rest outlast the 1 s budget.
    sim.faults.update({ latencyMs: 600 });
    const started = Date.now();
    const res = await hub.get(`/unified/user-directory/users?integrated_account_id=${account.id}&source=live&limit=1`).expect(504);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.body.details.code).toBe('SYNC_BUDGET_EXCEEDED');
    expect(res.body.message).toContain('live read of this account took longer than HUB_SYNC_BUDGET');
    sim.faults.update({ latencyMs: 0 });
    await live(hub, account.id);
  });
});

import { startJetbrainsSimulator, JetbrainsSimulator } from '../sandbox/jetbrains/server';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { eventually, startHub, TestHub } from './support/hub-harness';

const CREDENTIALS = { customer_code: String(SIM_CUSTOMER_CODE), api_key: SIM_ADMIN_TOKEN };

/** A cursor keeps the page size it was issued with; a `limit` sent with it still wins. */
describe('cursor keeps its limit', () => {
  let sim: JetbrainsSimulator;
  let hub: TestHub;
  let accountId: string;

  beforeAll(async () => {
    sim = await startJetbrainsSimulator({ dataset: 'small' });
    hub = await startHub({ JETBRAINS_BASE_URL: sim.baseUrl });
    accountId = (await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: CREDENTIALS }).expect(201)).body.id;
    await eventually(() => users('&limit=1').expect(200));
  });
  afterAll(async () => {
    await hub.close();
    await sim.close();
  });

  const users = (query: string) => hub.get(`/unified/user-directory/users?integrated_account_id=${accountId}${query}`);
  const next = (cursor: string) => `&next_cursor=${encodeURIComponent(cursor)}`;

  it('walks every page at the size of the first, not the default 50', async () => {
    const ids: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { result: { id: string }[]; next_cursor: string | null } = (await users(cursor ? next(cursor) : '&limit=20').expect(200)).body;
      ids.push(...page.result.map((u) => u.id));
      sizes.push(page.result.length);
      cursor = page.next_cursor;
    } while (cursor);
    // The small dataset has 98 people: 4 pages of 20 and the last 18.
    expect(sizes).toEqual([20, 20, 20, 20, 18]);
    expect(new Set(ids).size).toBe(98);
  });

  it('a limit sent with the cursor wins, and is kept from then on', async () => {
    const first = (await users('&limit=3').expect(200)).body;
    const second = (await users(next(first.next_cursor)).expect(200)).body;
    expect(second.result_count).toBe(3);
    const third = (await users(`${next(second.next_cursor)}&limit=7`).expect(200)).body;
    expect(third.result_count).toBe(7);
    const fourth = (await users(next(third.next_cursor)).expect(200)).body;
    expect(fourth.result_count).toBe(7);
  });

  it('holds for live reads and for the accounts and sync-run lists', async () => {
    const live = (await users('&source=live&limit=4').expect(200)).body;
    expect(live.result_count).toBe(4);
    expect((await users(`&source=live${next(live.next_cursor)}`).expect(200)).body.result_count).toBe(4);

    for (let i = 0; i < 2; i++) await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: CREDENTIALS, allow_duplicate: true }).expect(201);
    const accounts = (await hub.get('/integrated-accounts?limit=1').expect(200)).body;
    expect((await hub.get(`/integrated-accounts?next_cursor=${encodeURIComponent(accounts.next_cursor)}`).expect(200)).body.result_count).toBe(1);

    await hub.post(`/integrated-accounts/${accountId}/sync`).expect(202);
    await hub.post(`/integrated-accounts/${accountId}/sync`);
    const runs = await eventually(async () => {
      const page = (await hub.get(`/integrated-accounts/${accountId}/syncs?limit=1`).expect(200)).body;
      if (!page.next_cursor) throw new Error('one run only so far');
      return page;
    });
    const runs2 = (await hub.get(`/integrated-accounts/${accountId}/syncs?next_cursor=${encodeURIComponent(runs.next_cursor)}`).expect(200)).body;
    expect(runs2.result_count).toBe(1);
  });
});

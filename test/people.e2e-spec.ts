import type { JbLicense } from '../src/connectors/jetbrains/jetbrains.types';
import { buildDataset } from '../sandbox/jetbrains/dataset';
import { PRODUCTS } from '../sandbox/jetbrains/products';
import { connect, connectSynced, useFixture } from './support/fixture';
import type { TestHub } from './support/fixture';

interface User {
  id: string;
  email: string | null;
  account_type?: string | null;
  licenses: { product_code: string }[];
}

async function allUsers(hub: TestHub, accountId: string): Promise<User[]> {
  const res = await hub.get(`/unified/user-directory/users?integrated_account_id=${accountId}&limit=200`).expect(200);
  expect(res.body.next_cursor).toBeNull();
  return res.body.result;
}

describe('people across connectors', () => {
  const fx = useFixture();
  let hub: TestHub;
  let jetbrainsId: string;
  let atlassianId: string;
  let shared: string;

  beforeAll(async () => {
    const atlassian = await fx.atlassianSimulator({ dataset: 'tiny' });
    const jetbrains = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    hub = await fx.hub({ ATLASSIAN_BASE_URL: atlassian.baseUrl, JETBRAINS_BASE_URL: jetbrains.baseUrl });
    // The person both organizations know: an Atlassian user with a visible email and product access.
    ({ id: atlassianId } = await connectSynced(hub, { integration: 'atlassian' }));
    const person = (await allUsers(hub, atlassianId)).find((u) => u.email && u.account_type === 'atlassian' && u.licenses.length > 0)!;
    shared = person.email!.toLowerCase();
    const dataset = buildDataset('tiny');
    const license = (id: string, code: string, email: string): JbLicense => ({
      licenseId: id,
      product: PRODUCTS.find((p) => p.code === code)!,
      team: { id: 1, name: 'Everyone' },
      assignee: { type: 'USER', email, name: 'Shared Person' },
      subscription: { validUntilDate: '2030-01-01T00:00:00.000Z', subscriptionPackRef: null, isAutomaticallyRenewed: true, isOutdated: false },
      lastSeen: { lastSeenDate: '2026-11-20T10:00:00.000Z', isOfflineCodeGenerated: false },
      isTransferableBetweenTeams: true,
      isTrial: false,
      isSuspended: false,
      isAvailableToAssign: false,
    });
    // Same person in JetBrains, in another letter case; plus someone only JetBrains knows.
    dataset.licenses = [license('P1SHAREDII', 'II', person.email!.toUpperCase()), license('P2SHAREDWS', 'WS', shared), license('P3ONLYJB00', 'GO', 'only.jetbrains@example.com')];
    jetbrains.api.dataset = dataset;
    jetbrains.api.clearCache();
    ({ id: jetbrainsId } = await connectSynced(hub));
  });

  it('joins one person across a JetBrains and an Atlassian account, whatever the letter case', async () => {
    const res = await hub.get(`/unified/user-directory/people/${encodeURIComponent(shared.toUpperCase())}`).expect(200);
    expect(res.body.email).toBe(shared);
    expect(res.body.accounts.map((a: { integration: string }) => a.integration).sort()).toEqual(['atlassian', 'jetbrains']);
    const jb = res.body.accounts.find((a: { integration: string }) => a.integration === 'jetbrains');
    expect(jb).toMatchObject({ integrated_account_id: jetbrainsId, user_id: shared, status: 'active', stale: false });
    const account = (await hub.get(`/integrated-accounts/${jetbrainsId}`).expect(200)).body;
    expect(jb.synced_at).toBe(account.last_synced_at);
    expect(jb.licenses.map((l: { product_code: string }) => l.product_code).sort()).toEqual(['II', 'WS']);
    expect(res.body.products.filter((p: { integration: string }) => p.integration === 'jetbrains')).toEqual([
      { product_code: 'II', product_name: 'IntelliJ IDEA Ultimate', integration: 'jetbrains' },
      { product_code: 'WS', product_name: 'WebStorm', integration: 'jetbrains' },
    ]);
    expect(res.body.products.some((p: { integration: string }) => p.integration === 'atlassian')).toBe(true);
    const latest = res.body.accounts.map((a: { last_active_at: string | null }) => a.last_active_at).filter(Boolean).sort().pop();
    expect(res.body.last_active_at).toBe(latest);
  });

  it('lists every person with a known email once, without bots or portal customers, in pages', async () => {
    const expected = new Set<string>();
    for (const id of [jetbrainsId, atlassianId]) {
      for (const user of await allUsers(hub, id)) {
        if (user.email && user.account_type !== 'app' && user.account_type !== 'customer') expected.add(user.email.toLowerCase());
      }
    }
    const emails: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : '';
      const page = await hub.get(`/unified/user-directory/people?limit=3${query}`).expect(200);
      expect(page.body.result_count).toBeLessThanOrEqual(3);
      emails.push(...page.body.result.map((p: { email: string }) => p.email));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(emails).toEqual([...expected].sort());
    expect(emails).toContain('only.jetbrains@example.com');
  });

  it('filters by email and answers 404 for a stranger', async () => {
    const one = await hub.get(`/unified/user-directory/people?email=${encodeURIComponent(shared.toUpperCase())}`).expect(200);
    expect(one.body.result.map((p: { email: string }) => p.email)).toEqual([shared]);
    const none = await hub.get('/unified/user-directory/people?email=nobody@example.com').expect(200);
    expect(none.body).toEqual({ result: [], next_cursor: null, result_count: 0 });
    const missing = await hub.get('/unified/user-directory/people/nobody@example.com').expect(404);
    expect(missing.body.details.code).toBe('PERSON_NOT_FOUND');
    await hub.get('/unified/user-directory/people?email=not-an-email').expect(400);
  });

  it('drops an account from people when it is deleted', async () => {
    const { id } = await connect(hub, { integration: 'atlassian', name: 'second' });
    await hub.delete(`/integrated-accounts/${id}`).expect(200);
    await hub.delete(`/integrated-accounts/${jetbrainsId}`).expect(200);
    const res = await hub.get(`/unified/user-directory/people/${encodeURIComponent(shared)}`).expect(200);
    expect(res.body.accounts.map((a: { integrated_account_id: string }) => a.integrated_account_id)).toEqual([atlassianId]);
    await hub.get('/unified/user-directory/people/only.jetbrains@example.com').expect(404);
  });
});

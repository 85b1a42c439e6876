import { connectSynced, postgresEnv, useFixture } from './support/fixture';
import type { TestHub } from './support/fixture';
import { postgresEnabled } from './support/postgres';

interface Person {
  email: string;
  name: string | null;
  products: { product_code: string }[];
  accounts: { status: string; name: string | null }[];
}

/** Every person of a list, walking its cursors in pages of `limit`. */
async function walk(hub: TestHub, query: string, limit = 200): Promise<Person[]> {
  const people: Person[] = [];
  let cursor = '';
  do {
    const body = (await hub.get(`/unified/user-directory/people?limit=${limit}${query}${cursor}`).expect(200)).body;
    people.push(...body.result);
    cursor = body.next_cursor ? `&next_cursor=${encodeURIComponent(body.next_cursor)}` : '';
  } while (cursor);
  return people;
}

const stores: [string, boolean][] = [['SQLite', true], ['PostgreSQL', postgresEnabled()]];

/** The People table's search and filters (the web page's), on both stores, checked against the unfiltered list. */
describe.each(stores)('people filters (%s)', (store, enabled) => {
  const fx = useFixture();
  let hub: TestHub;
  let everyone: Person[];

  beforeAll(async () => {
    if (!enabled) return;
    const env = store === 'PostgreSQL' ? await postgresEnv(fx) : {};
    const jetbrains = await fx.jetbrainsSimulator({ dataset: 'small' });
    const atlassian = await fx.atlassianSimulator({ dataset: 'tiny' });
    hub = await fx.hub({ ...env, JETBRAINS_BASE_URL: jetbrains.baseUrl, ATLASSIAN_BASE_URL: atlassian.baseUrl });
    await connectSynced(hub);
    await connectSynced(hub, { integration: 'atlassian' });
    everyone = await walk(hub, '');
  }, 60_000);
  const run = enabled ? it : it.skip;

  run('search finds part of an email or of a name, in any letter case', async () => {
    const named = everyone.find((p) => p.name && p.name.length > 4)!;
    const part = named.name!.slice(1, 4).toUpperCase();
    const byName = everyone.filter((p) => p.email.includes(part.toLowerCase()) || p.accounts.some((a) => (a.name ?? '').toLowerCase().includes(part.toLowerCase())));
    expect((await walk(hub, `&search=${encodeURIComponent(part)}`, 7)).map((p) => p.email)).toEqual(byName.map((p) => p.email));
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.length).toBeLessThan(everyone.length);

    const domain = everyone[0]!.email.split('@')[1]!;
    expect((await walk(hub, `&search=${encodeURIComponent('@' + domain)}`)).length).toBe(everyone.filter((p) => p.email.includes('@' + domain)).length);
  });

  run('LIKE wildcards in a search are taken literally', async () => {
    expect(await walk(hub, '&search=%25')).toEqual(everyone.filter((p) => p.email.includes('%') || (p.name ?? '').includes('%')));
    expect(await walk(hub, '&search=_')).toEqual(everyone.filter((p) => p.email.includes('_') || p.accounts.some((a) => (a.name ?? '').includes('_'))));
    // A search for the JSON around the name matches nothing it should not.
    expect(await walk(hub, `&search=${encodeURIComponent('","status":"')}`)).toEqual([]);
  });

  run('product_code and status keep the people holding that product / having that status somewhere, together too', async () => {
    const codes = [...new Set(everyone.flatMap((p) => p.products.map((x) => x.product_code)))];
    expect(codes.length).toBeGreaterThan(2);
    for (const code of codes.slice(0, 3)) {
      const expected = everyone.filter((p) => p.products.some((x) => x.product_code === code)).map((p) => p.email);
      expect((await walk(hub, `&product_code=${encodeURIComponent(code)}`, 9)).map((p) => p.email)).toEqual(expected);
    }
    const statuses = [...new Set(everyone.flatMap((p) => p.accounts.map((a) => a.status)))];
    expect(statuses.length).toBeGreaterThan(1);
    for (const status of statuses) {
      const expected = everyone.filter((p) => p.accounts.some((a) => a.status === status)).map((p) => p.email);
      expect((await walk(hub, `&status=${status}`, 11)).map((p) => p.email)).toEqual(expected);
    }
    const [code] = codes;
    const both = everyone.filter((p) => p.products.some((x) => x.product_code === code) && p.accounts.some((a) => a.status === 'active'));
    expect((await walk(hub, `&status=active&product_code=${code}`)).map((p) => p.email)).toEqual(both.map((p) => p.email));
  });

  run('a cursor keeps its filters: with other filters it is refused', async () => {
    const first = (await hub.get('/unified/user-directory/people?limit=2&status=active').expect(200)).body;
    expect(first.next_cursor).toBeTruthy();
    const refused = await hub.get(`/unified/user-directory/people?limit=2&status=suspended&next_cursor=${encodeURIComponent(first.next_cursor)}`).expect(400);
    expect(refused.body.details.code).toBe('INVALID_CURSOR');
    await hub.get(`/unified/user-directory/people?next_cursor=${encodeURIComponent(first.next_cursor)}`).expect(400);
    await hub.get(`/unified/user-directory/people?status=active&next_cursor=${encodeURIComponent(first.next_cursor)}`).expect(200);
  });

  run('wrong filters are 400 naming what to send', async () => {
    const cases: [string, RegExp][] = [
      ['product_code=a%20b', /product_code must be a product code/],
      ['status=Active', /status must be a status/],
      [`search=${'x'.repeat(101)}`, /search must be 1 to 100 characters/],
      ['search=', /search must be 1 to 100 characters/],
    ];
    for (const [query, message] of cases) {
      const res = await hub.get(`/unified/user-directory/people?${query}`).expect(400);
      expect(res.body.message).toMatch(message);
    }
  });
});

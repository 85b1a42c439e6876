import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { ATLASSIAN_CREDENTIALS, eventually, JETBRAINS_CREDENTIALS, TEST_API_KEY, useFixture, waitForLatestRun } from '../support/fixture';
import type { JetbrainsSimulator } from '../../sandbox/jetbrains/server';
import type { HubDatabase } from '../../src/store/database';
import { HUB_DATABASE } from '../../src/store/database.token';
import { BrowserHub, hubForBrowser, signIn } from './support/hub-for-browser';
import { PageProblems, seriousAxeViolations, useBrowser } from './support/page-harness';
import { verify, WebhookReceiver } from '../support/webhook-receiver';

/**
 * The web page in a real Chromium against a hub wired to both simulators: what a person does,
 * checked against what the API itself answers. The tests run in order and build on each other
 * (the accounts connected through the form are the ones the later pages show).
 */
// A browser, a hub and two simulators on a machine the other suites share: room for a slow moment.
jest.setTimeout(90_000);

describe('the web page in Chromium', () => {
  const fx = useFixture();
  const browser = useBrowser();
  let hub: BrowserHub;
  let jetbrainsId: string;
  let jetbrainsSim: JetbrainsSimulator;

  beforeAll(async () => {
    const jetbrains = (jetbrainsSim = await fx.jetbrainsSimulator({ dataset: 'small' }));
    const atlassian = await fx.atlassianSimulator({ dataset: 'tiny' });
    hub = await hubForBrowser(fx, { JETBRAINS_BASE_URL: jetbrains.baseUrl, ATLASSIAN_BASE_URL: atlassian.baseUrl });
  }, 60_000);

  /** A fresh context signed in with the root key; at the end, the page logged no error and fetched nothing foreign. */
  async function signedIn(): Promise<{ page: Page; problems: PageProblems }> {
    const { page, problems } = await browser.open(hub.origin);
    await signIn(page, TEST_API_KEY);
    return { page, problems };
  }
  const clean = (problems: PageProblems) => expect(problems).toEqual({ errors: [], foreign: [] });

  it('signs in with an API key (a wrong one is told so), keeps an HttpOnly SameSite=Strict session, and signs out', async () => {
    const { page, context, problems } = await browser.open(hub.origin);
    await page.goto('/');
    await page.getByLabel('API key').fill('hub_not-a-real-key-0000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/key/i);

    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'hub_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toContain(TEST_API_KEY);
    // The page keeps no key anywhere a script could read it.
    expect(await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie')).not.toContain(TEST_API_KEY);

    // A reload keeps the session (the page asks GET /session again for its CSRF token).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();

    // The signed-in browser opens the API's own docs too (before: a bare 401 body).
    await page.goto('/docs');
    await page.getByRole('heading', { name: /Integration hub/ }).first().waitFor();
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    await page.reload();
    await page.getByLabel('API key').waitFor();
    expect((await context.cookies()).filter((c) => c.name === 'hub_session' && c.value !== '')).toEqual([]);
    clean(problems);
  });

  it('connects JetBrains through the form: fields from the manifest, the pattern checked before sending, a wrong token\'s message, then the first sync', async () => {
    const { page, problems } = await signedIn();
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('radio', { name: /JetBrains/ }).check();

    const code = page.getByLabel('Customer code');
    const token = page.getByLabel('API token');
    expect(await code.getAttribute('type')).toBe('text');
    expect(await token.getAttribute('type')).toBe('password');
    expect(await code.getAttribute('aria-required')).toBe('true');

    // The pattern (digits only) is checked in the page: nothing is sent.
    const tests: string[] = [];
    page.on('request', (r) => r.url().endsWith('/test-credentials') && tests.push(r.method()));
    await code.fill('12ab');
    await token.fill('whatever');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByText('Customer code does not have the expected form', { exact: false }).isVisible()).resolves.toBe(true);
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    expect(tests).toEqual([]);

    // A wrong token: the hub's own message for it.
    const wrong = { customer_code: JETBRAINS_CREDENTIALS.customer_code, api_key: 'sim-wrong-token-0000000000' };
    const expected = await hub.hub.post('/integrated-accounts/test-credentials', { integration: 'jetbrains', credentials: wrong });
    expect(expected.status).toBeGreaterThanOrEqual(400);
    await code.fill(wrong.customer_code);
    await token.fill(wrong.api_key);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(expected.body.message);
    expect(tests).toEqual(['POST']);

    await token.fill(JETBRAINS_CREDENTIALS.api_key);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The credentials work').waitFor();
    // What they give access to, as the hub's test says.
    const access = (await hub.hub.post('/integrated-accounts/test-credentials', { integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS }).expect(200)).body.access;
    const shown = await page.locator('.success').textContent();
    expect(shown).toContain(`organization name${access.organization.name}`);
    expect(shown).toContain(`organization id${access.organization.id}`);
    await page.getByLabel('Name (optional)').fill('JetBrains (browser)');
    await page.getByRole('button', { name: 'Save' }).click();

    // The account page: its first sync, followed until it finished.
    await page.getByRole('heading', { level: 1, name: 'JetBrains (browser)' }).waitFor();
    jetbrainsId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    const run = await waitForLatestRun(hub.hub, jetbrainsId);
    await page.getByRole('cell', { name: 'Succeeded' }).first().waitFor({ timeout: 30_000 });
    expect(await page.getByRole('row').nth(1).textContent()).toContain(String(run.stats.users));
    const account = (await hub.hub.get(`/integrated-accounts/${jetbrainsId}`).expect(200)).body;
    expect(account.name).toBe('JetBrains (browser)');
    clean(problems);
  }, 60_000);

  it('connects Atlassian through the form and lists both accounts with their last sync', async () => {
    const { page, problems } = await signedIn();
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('radio', { name: /Atlassian/ }).check();
    expect(await page.getByLabel('Organization API key').getAttribute('type')).toBe('password');
    expect(await page.getByLabel('Organization ID').getAttribute('aria-required')).toBe('false');
    await page.getByLabel('Organization API key').fill(ATLASSIAN_CREDENTIALS.api_key);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasNotText: 'Connections' }).waitFor();
    const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    await waitForLatestRun(hub.hub, id);

    await page.getByRole('link', { name: 'Connections' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    const rows = page.locator('tbody tr');
    await settles(async () => (await rows.allTextContents()).filter((t) => /Succeeded/.test(t)).length, 2, 15_000);
    const text = (await rows.allTextContents()).join('\n');
    expect(text).toMatch(/jetbrains/);
    expect(text).toMatch(/atlassian/);
    clean(problems);
  }, 60_000);

  it('pages through people by the API\'s cursors and opens a person', async () => {
    const { page, problems } = await signedIn();
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    const first = (await hub.hub.get('/unified/user-directory/people?limit=50').expect(200)).body;
    const second = (await hub.hub.get(`/unified/user-directory/people?limit=50&next_cursor=${encodeURIComponent(first.next_cursor)}`).expect(200)).body;
    const emails = () => page.locator('tbody tr td:first-child').allTextContents();
    await settles(emails, first.result.map((p: { email: string }) => p.email));

    await page.getByRole('button', { name: 'Next page' }).click();
    await settles(emails, second.result.map((p: { email: string }) => p.email));
    await page.getByRole('button', { name: 'Previous page' }).click();
    await settles(emails, first.result.map((p: { email: string }) => p.email));

    // Search, product and status are the API's filters: the table shows what it answers.
    const someone = first.result[3];
    const part = someone.email.split('@')[0].slice(0, 4);
    const api = async (query: string) =>
      (await hub.hub.get(`/unified/user-directory/people?limit=50&${query}`).expect(200)).body.result.map((p: { email: string }) => p.email);
    await page.getByLabel('Search').fill(part.toUpperCase());
    await settles(emails, await api(`search=${encodeURIComponent(part)}`));
    await page.getByLabel('Search').fill('');
    const product = someone.products[0].product_code;
    await page.getByLabel('Product').selectOption(product);
    await page.getByLabel('Status').selectOption('suspended');
    const filtered = await api(`product_code=${encodeURIComponent(product)}&status=suspended`);
    await settles(emails, filtered);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Product').selectOption('');
    await page.getByLabel('Search').fill(someone.email);
    await settles(emails, [someone.email]);

    await page.getByRole('link', { name: someone.email }).click();
    await page.getByRole('heading', { level: 1, name: someone.name ?? someone.email }).waitFor();
    const person = (await hub.hub.get(`/unified/user-directory/people/${encodeURIComponent(someone.email)}`).expect(200)).body;
    expect(await page.locator('tbody tr').count()).toBe(person.accounts.length);
    clean(problems);
  });

  it('shows the reclaimable seats for the chosen inactivity window, as the API counts them, and exports them as CSV', async () => {
    const { page, problems } = await signedIn();
    await page.getByRole('link', { name: 'Seats' }).click();
    await page.getByRole('heading', { level: 1, name: 'Seats' }).waitFor();
    await page.getByLabel('Account').selectOption(jetbrainsId);
    const count = page.getByTestId('reclaimable-count');
    const apiCount = async (days: number) =>
      (await hub.hub.get(`/unified/user-directory/reclaimable-seats?integrated_account_id=${jetbrainsId}&inactive_days=${days}&limit=1`).expect(200)).body.summary.reclaimable;

    await settles(async () => Number(await count.textContent()), await apiCount(60));
    await page.getByLabel('Inactive for').selectOption('30');
    await settles(async () => Number(await count.textContent()), await apiCount(30));
    await page.getByLabel('Inactive for').selectOption('custom');
    await page.getByLabel('Days').fill('400');
    await settles(async () => Number(await count.textContent()), await apiCount(400));
    expect(await apiCount(30)).not.toBe(await apiCount(400));

    // The chart: one bar per product (or per product and team), each named with its numbers.
    const bars = page.locator('.seat-chart svg[role="img"]');
    const products = await bars.count();
    expect(products).toBeGreaterThan(0);
    // Their figures add up to the plans' utilization the API gives for the same window.
    const plans = (await hub.hub.get(`/unified/user-directory/licenses?integrated_account_id=${jetbrainsId}&inactive_days=400&limit=200`).expect(200)).body.result;
    const labels = (await bars.evaluateAll((svgs) => svgs.map((s) => s.getAttribute('aria-label') ?? ''))) as string[];
    for (const part of ['active', 'inactive', 'never_used'] as const) {
      const name = { active: 'Active', inactive: 'Inactive', never_used: 'Never used' }[part];
      const shown = labels.reduce((sum, l) => sum + Number(new RegExp(`(?:^|, |: )${name} (\\d+)`).exec(l)![1]), 0);
      expect([part, shown]).toEqual([part, plans.reduce((sum: number, p: { utilization: Record<string, number> }) => sum + p.utilization[part]!, 0)]);
    }
    await page.getByLabel('Chart by').selectOption('team');
    await settles(async () => (await bars.count()) > products, true);
    expect(await bars.first().getAttribute('aria-label')).toMatch(/Active \d+, Inactive \d+, Never used \d+, Available/);

    await page.getByLabel('Inactive for').selectOption('30');
    await settles(async () => Number(await count.textContent()), await apiCount(30));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    const seats: { email: string; product_code: string; reason: string }[] = [];
    let cursor = '';
    do {
      const body = (await hub.hub.get(`/unified/user-directory/reclaimable-seats?integrated_account_id=${jetbrainsId}&inactive_days=30&limit=200${cursor}`).expect(200)).body;
      seats.push(...body.result);
      cursor = body.next_cursor ? `&next_cursor=${encodeURIComponent(body.next_cursor)}` : '';
    } while (cursor);
    expect(csv[0]).toBe('email,name,product_code,product_name,team,reason,assigned_at,last_active_at,days_inactive,monthly_cost,currency');
    expect(csv.length - 1).toBe(seats.length);
    const column = (name: string) => csv[0]!.split(',').indexOf(name);
    const parsed = csv.slice(1).map((line) => parseCsvLine(line));
    expect(parsed.map((r) => `${r[column('email')]} ${r[column('product_code')]} ${r[column('reason')]}`)).toEqual(
      seats.map((s) => `${s.email ?? ''} ${s.product_code} ${s.reason}`),
    );
    clean(problems);
  });

  it('creates an API key, shows it once, and revokes it', async () => {
    const { page, problems } = await signedIn();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByLabel('Key name').fill('browser reporting');
    await page.getByLabel('Scope').selectOption('read');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByLabel('New key “browser reporting”');
    await shown.waitFor();
    const key = await shown.inputValue();
    expect(key).toMatch(/^hub_/);
    await hub.hub.raw().get('/integrations').set('Authorization', `Bearer ${key}`).expect(200);
    const listed = (await hub.hub.get('/api-keys').expect(200)).body.result.find((k: { name: string }) => k.name === 'browser reporting');
    expect(listed.scope).toBe('read');
    expect(JSON.stringify(listed)).not.toContain(key);

    await page.getByRole('button', { name: 'Revoke browser reporting' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke browser reporting?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('button', { name: 'Revoke browser reporting' }).waitFor({ state: 'detached' });
    await hub.hub.raw().get('/integrations').set('Authorization', `Bearer ${key}`).expect(401);
    clean(problems);
  });

  it('creates a connect link in Settings, lists it, and withdraws it: the customer\'s page then says it has expired', async () => {
    const { page, problems } = await signedIn();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Tenant', { exact: true }).fill('withdrawn-co');
    await page.getByRole('button', { name: 'Create link' }).click();
    const url = await page.getByLabel('Connect link', { exact: true }).inputValue();
    const listed = (await hub.hub.get('/connect-sessions?limit=200').expect(200)).body.result.find((l: { tenant_id: string }) => l.tenant_id === 'withdrawn-co');
    expect(listed.status).toBe('active');
    const row = page.getByRole('row', { name: /withdrawn-co/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('active');
    await row.getByRole('button', { name: /^Withdraw/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Withdraw the link for withdrawn-co?' });
    await dialog.getByRole('button', { name: 'Withdraw link' }).click();
    await settles(async () => (await row.textContent())?.includes('revoked'), true);
    const customer = await browser.open(hub.origin);
    await customer.page.goto(`/${new URL(url).hash}`);
    await customer.page.getByRole('heading', { level: 1, name: 'This connect link has expired' }).waitFor();
    clean(problems);
    clean(customer.problems);
  }, 60_000);

  it('creates a webhook: its secret, shown once, verifies a delivery, which the deliveries list shows', async () => {
    const receiver = fx.track(await WebhookReceiver.start());
    const { page, problems } = await signedIn();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    expect(await page.getByLabel('All events').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = await page.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    const hook = (await hub.hub.get('/webhooks').expect(200)).body.result.find((w: { url: string }) => w.url === receiver.url);
    expect(JSON.stringify(hook)).not.toContain(secret);
    await hub.hub.post(`/webhooks/${hook.id}/test`).expect(202);
    const message = await eventually(async () => receiver.ofType('webhook.test')[0] ?? Promise.reject(new Error('no delivery yet')), 20_000);
    expect(() => verify(secret, message)).not.toThrow();

    await eventually(async () => {
      const deliveries = (await hub.hub.get(`/webhooks/${hook.id}/deliveries`).expect(200)).body.result;
      if (deliveries[0]?.status !== 'delivered') throw new Error('not delivered yet');
    }, 20_000);
    await page.getByRole('button', { name: `Deliveries of ${receiver.url}` }).click();
    const row = page.getByRole('row', { name: /webhook\.test/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/delivered.*200/);
    clean(problems);
  }, 60_000);

  it('sets seat prices in Settings; the Seats page then shows the monthly cost the API computes', async () => {
    const { page, problems } = await signedIn();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Account', { exact: true }).selectOption(jetbrainsId);
    await page.getByLabel('Currency (ISO code)').fill('EUR');
    await page.getByLabel('Price of IntelliJ IDEA Ultimate').fill('59.9');
    await page.getByLabel('Price of All Products Pack').fill('779');
    await page.getByLabel('Period of All Products Pack').selectOption('year');
    await page.getByRole('button', { name: 'Save prices' }).click();
    await page.getByText('Saved: reclaimable seats now show their monthly cost.').waitFor();
    const prices = (await hub.hub.get(`/integrated-accounts/${jetbrainsId}/seat-prices`).expect(200)).body;
    expect(prices).toEqual({ currency: 'EUR', prices: { II: { amount: 59.9, per: 'month' }, ALL: { amount: 779, per: 'year' } }, unknown_product_codes: [] });

    await page.getByRole('link', { name: 'Seats' }).click();
    await page.getByRole('heading', { level: 1, name: 'Seats' }).waitFor();
    await page.getByLabel('Account', { exact: true }).selectOption(jetbrainsId);
    const summary = (await hub.hub.get(`/unified/user-directory/reclaimable-seats?integrated_account_id=${jetbrainsId}&inactive_days=60&limit=1`).expect(200)).body.summary;
    expect(summary.monthly_cost).toBeGreaterThan(0);
    await page.getByText(`${summary.monthly_cost.toFixed(2)} EUR a month`, { exact: false }).waitFor();
    clean(problems);
  });

  it('a connect link opens only the connect form in a fresh browser, connects once, then says it was used', async () => {
    const created = await hub.hub.post('/connect-sessions', { tenant_id: 'acme', integrations: ['jetbrains'] }).expect(201);
    const { page, problems } = await browser.open(hub.origin);
    const url = new URL(created.body.url);
    // The token travels only as the bearer of the page's calls: never in a URL, never as a Referer, never with a cookie.
    const leaks: string[] = [];
    const checks: Promise<void>[] = [];
    page.on('request', (r) =>
      checks.push(
        r.allHeaders().then((headers) => {
          if (r.url().includes(created.body.token) || headers.referer?.includes(created.body.token) || headers.cookie) leaks.push(`${r.method()} ${r.url()} ${headers.referer ?? ''}`);
        }),
      ),
    );
    await page.goto(`/${url.hash}`);
    await page.getByRole('heading', { level: 1, name: 'Connect your account' }).waitFor();
    // Only the allowed integration, no navigation, no sign-in.
    expect(await page.getByRole('radio').count()).toBe(0);
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await page.getByLabel('API key').count()).toBe(0);
    await page.getByLabel('Customer code').fill(JETBRAINS_CREDENTIALS.customer_code);
    await page.getByLabel('API token').fill(JETBRAINS_CREDENTIALS.api_key);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The credentials work').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connected' }).waitFor();
    const accounts = (await hub.hub.get('/integrated-accounts?tenant_id=acme').expect(200)).body.result;
    expect(accounts.map((a: { integration: string }) => a.integration)).toEqual(['jetbrains']);
    await Promise.all(checks);
    expect(checks.length).toBeGreaterThan(3);
    expect(leaks).toEqual([]);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'This connect link has been used' }).waitFor();
    await page.goto('/#/connect/hubcs_not-a-token');
    await page.getByRole('heading', { level: 1, name: 'This connect link is not valid' }).waitFor();
    expect(await page.getByLabel('API key').count()).toBe(0);

    // A link past its time (moved into the past in the database: the shortest a link lives is a minute).
    const late = (await hub.hub.post('/connect-sessions', { tenant_id: 'acme', expires_in: 60 }).expect(201)).body;
    await hub.hub.app.get<HubDatabase>(HUB_DATABASE).updateTable('connect_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', late.id).execute();
    await page.goto(`/${new URL(late.url).hash}`);
    await page.getByRole('heading', { level: 1, name: 'This connect link has expired' }).waitFor();
    expect(await page.getByLabel('API key').count()).toBe(0);
    clean(problems);
  }, 60_000);

  it('a connect link opened in a browser where an admin is signed in lends the page no session: its calls carry no cookie', async () => {
    const { page, problems } = await signedIn();
    const link = (await hub.hub.post('/connect-sessions', { tenant_id: 'gamma', integrations: ['atlassian'] }).expect(201)).body;
    const cookies: (string | undefined)[] = [];
    const checks: Promise<void>[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/connect-sessions')) checks.push(r.allHeaders().then((h) => void cookies.push(h.cookie)));
    });
    await page.goto(`/${new URL(link.url).hash}`);
    await page.getByRole('heading', { level: 1, name: 'Connect your account' }).waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);
    await Promise.all(checks);
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies).toEqual(cookies.map(() => undefined));
    clean(problems);
  });

  it("a tenant's read key sees only its tenant's accounts and people, and no write controls", async () => {
    const created = (await hub.hub.post('/api-keys', { name: 'acme viewer', scope: 'read', tenant_id: 'acme' }).expect(201)).body;
    const { page, problems } = await browser.open(hub.origin);
    await signIn(page, created.key);
    await page.getByText('Signed in as acme viewer (read, tenant acme)').waitFor();
    const acme = (await hub.hub.get('/integrated-accounts?tenant_id=acme').expect(200)).body.result;
    await settles(() => page.locator('tbody tr').count(), acme.length);
    expect(await page.locator('tbody').textContent()).toContain('acme');
    expect(await page.getByRole('button', { name: 'Connect' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await page.getByRole('link', { name: 'People' }).click();
    const tenantPeople = (await hub.hub.get('/unified/user-directory/people?tenant_id=acme&limit=50').expect(200)).body.result;
    await settles(() => page.locator('tbody tr td:first-child').allTextContents(), tenantPeople.map((p: { email: string }) => p.email));
    await page.goto(`/#/accounts/${acme[0].id}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Sync now' }).count()).toBe(0);
    // Another tenant's account is not there for this key, as in the API (404).
    await page.goto(`/#/accounts/${jetbrainsId}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/not found|no integrated account/i);
    clean(problems);
  });

  it("a tenant's admin key manages its tenant's webhooks in Settings, but not API keys", async () => {
    const created = (await hub.hub.post('/api-keys', { name: 'acme admin', scope: 'admin', tenant_id: 'acme' }).expect(201)).body;
    const { page, problems } = await browser.open(hub.origin);
    await signIn(page, created.key);
    await page.getByText('Signed in as acme admin (admin, tenant acme)').waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 2, name: 'Webhooks' }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: 'API keys' }).count()).toBe(0);
    clean(problems);
  });

  it('revoking the key ends its browser session at once: the next page is the sign-in', async () => {
    const created = (await hub.hub.post('/api-keys', { name: 'short-lived admin', scope: 'admin' }).expect(201)).body;
    const { page, problems } = await browser.open(hub.origin);
    await signIn(page, created.key);
    // The page's own reads finish first (one answered 401 after the revocation would sign out even sooner).
    await settles(() => page.getByText('Loading…').count(), 0);
    await page.waitForLoadState('networkidle');
    await hub.hub.delete(`/api-keys/${created.id}`).expect(200);
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Integration hub');
    clean(problems);
  });

  it('an account whose token was revoked stands out as needing re-auth; "Update credentials" brings it back', async () => {
    const revoked = jetbrainsSim.api.dataset.tokens.find((t) => t.apiKey === JETBRAINS_CREDENTIALS.api_key)!;
    jetbrainsSim.api.dataset.tokens = jetbrainsSim.api.dataset.tokens.filter((t) => t !== revoked);
    const rotated = 'sim-admin-token-rotated-0123456789';
    jetbrainsSim.api.dataset.tokens.push({ ...revoked, apiKey: rotated });
    await hub.hub.post(`/integrated-accounts/${jetbrainsId}/sync`).expect(202);
    await waitForLatestRun(hub.hub, jetbrainsId, 'failed');

    const { page, problems } = await signedIn();
    const row = page.locator('tbody tr', { hasText: 'JetBrains (browser)' });
    await row.getByText('Needs re-auth').waitFor();
    expect(await row.getAttribute('class')).toBe('attention');
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'JetBrains (browser)' }).waitFor();
    await page.getByRole('button', { name: 'Update credentials' }).click();
    await page.getByLabel('Customer code').fill(JETBRAINS_CREDENTIALS.customer_code);
    await page.getByLabel('API token').fill(JETBRAINS_CREDENTIALS.api_key);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('API token').fill(rotated);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Update credentials' }).waitFor({ state: 'detached' });
    expect((await hub.hub.get(`/integrated-accounts/${jetbrainsId}`).expect(200)).body.status).toBe('active');
    // A slow upstream: the run in progress shows a progress bar until it ends.
    await waitForLatestRun(hub.hub, jetbrainsId);
    jetbrainsSim.faults.update({ latencyMs: 400, maxConcurrent: 1 });
    try {
      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.getByRole('progressbar').waitFor();
      expect(await page.getByRole('status').filter({ has: page.getByRole('progressbar') }).textContent()).toMatch(/Sync (running|waiting)/);
      await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 30_000 });
    } finally {
      jetbrainsSim.faults.update({ latencyMs: 0, maxConcurrent: 0 });
    }
    expect((await waitForLatestRun(hub.hub, jetbrainsId)).trigger).toBe('manual');
    await page.getByRole('cell', { name: 'manual' }).first().waitFor();
    clean(problems);
  }, 60_000);

  it('shows the change feed newest first, filtered by type, as the API has it', async () => {
    // Between two syncs one person loses every license (removed), another the licenses of one of their products (updated).
    // The run the last test started must be over first, or this sync would be that run, halfway through reading.
    await waitForLatestRun(hub.hub, jetbrainsId);
    const users = (await hub.hub.get(`/unified/user-directory/users?integrated_account_id=${jetbrainsId}&limit=200`).expect(200)).body.result as { email: string | null; licenses: { product_code: string }[] }[];
    const leavingEmail = users.find((u) => u.email && u.licenses.length === 1)!.email!.toLowerCase();
    const shrinking = users.find((u) => u.email && new Set(u.licenses.map((l) => l.product_code)).size >= 2)!;
    const shrinkingEmail = shrinking.email!.toLowerCase();
    const dropped = shrinking.licenses[0]!.product_code;
    const emailOf = (l: (typeof jetbrainsSim.api.dataset.licenses)[number]) => (l.assignee as { email?: string } | null)?.email?.toLowerCase();
    jetbrainsSim.api.dataset.licenses = jetbrainsSim.api.dataset.licenses.filter(
      (l) => emailOf(l) !== leavingEmail && !(emailOf(l) === shrinkingEmail && l.product?.code === dropped),
    );
    // A hostile upstream: a name that is HTML. The page must show it as text, never run it.
    const hostileEmail = users.find((u) => u.email && ![leavingEmail, shrinkingEmail].includes(u.email.toLowerCase()))!.email!.toLowerCase();
    const HOSTILE = '<img src=x onerror="document.title=\'xss\'">Mallory';
    for (const l of jetbrainsSim.api.dataset.licenses) if (emailOf(l) === hostileEmail) l.assignee = { ...(l.assignee as object), name: HOSTILE } as typeof l.assignee;
    const started = (await hub.hub.post(`/integrated-accounts/${jetbrainsId}/sync`).expect(202)).body;
    const done = await waitForLatestRun(hub.hub, jetbrainsId);
    expect(done.id).toBe(started.id);
    const feed = (await hub.hub.get(`/unified/user-directory/changes?integrated_account_id=${jetbrainsId}&limit=200`).expect(200)).body.result;
    expect(feed.map((c: { type: string }) => c.type)).toEqual(expect.arrayContaining(['user.removed', 'user.updated']));

    const { page, problems } = await signedIn();
    await page.getByRole('link', { name: 'Changes' }).click();
    await page.getByLabel('Account').selectOption(jetbrainsId);
    const whoAndType = async () => (await page.locator('tbody tr').allTextContents()).length;
    await settles(whoAndType, feed.length);
    const firstRow = await page.locator('tbody tr').first().textContent();
    const newest = feed[feed.length - 1];
    expect(firstRow).toContain(newest.email ?? newest.user_id);
    await page.getByLabel('Type').selectOption('user.removed');
    const removed = feed.filter((c: { type: string }) => c.type === 'user.removed');
    await settles(whoAndType, removed.length);
    expect(await page.locator('tbody').textContent()).toContain(leavingEmail);
    await page.getByLabel('Type').selectOption('user.updated');
    await settles(whoAndType, feed.filter((c: { type: string }) => c.type === 'user.updated').length);
    expect(await page.locator('tbody').textContent()).toContain(shrinkingEmail);
    expect(await page.locator('tbody').textContent()).toContain(HOSTILE);

    await page.getByRole('link', { name: 'People' }).click();
    await page.getByLabel('Search').fill('mallory');
    await page.getByRole('cell', { name: HOSTILE }).waitFor();
    await page.getByRole('link', { name: hostileEmail }).click();
    await page.getByRole('heading', { level: 1, name: HOSTILE }).waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.title()).toBe('Integration hub');
    clean(problems);
  }, 60_000);

  it('every page works by keyboard and axe finds no serious or critical violation on any of them', async () => {
    const { page, problems } = await browser.open(hub.origin);
    await page.goto('/');
    const violations: Record<string, string[]> = {};
    violations['sign-in'] = await seriousAxeViolations(page);

    // Keyboard only: the key field, Enter, then a link of the main navigation.
    await page.getByLabel('API key').focus();
    await page.keyboard.type(TEST_API_KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    await page.getByRole('link', { name: 'People' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await settles(() => page.evaluate('document.activeElement?.textContent'), 'People');

    const email = (await hub.hub.get('/unified/user-directory/people?limit=1').expect(200)).body.result[0].email;
    const pages: [string, string][] = [
      ['connections', '#/connections'],
      ['account', `#/accounts/${jetbrainsId}`],
      ['people', '#/people'],
      ['person', `#/people/${encodeURIComponent(email)}`],
      ['seats', '#/seats'],
      ['changes', '#/changes'],
      ['settings', '#/settings'],
    ];
    for (const [name, hash] of pages) {
      await page.goto(`/${hash}`);
      await page.locator('h1').waitFor();
      await settles(() => page.getByText('Loading…').count(), 0);
      violations[name] = await seriousAxeViolations(page);
    }
    // The connect form opened with "Connect", and the delete confirmation.
    await page.goto('/#/connections');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('radio', { name: /Atlassian/ }).check();
    violations['connect form'] = await seriousAxeViolations(page);
    await page.goto(`/#/accounts/${jetbrainsId}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').waitFor();
    violations['delete dialog'] = await seriousAxeViolations(page);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    const link = await hub.hub.post('/connect-sessions', { tenant_id: 'beta' }).expect(201);
    const fresh = await browser.open(hub.origin);
    await fresh.page.goto(`/${new URL(link.body.url).hash}`);
    await fresh.page.getByRole('heading', { level: 1, name: 'Connect your account' }).waitFor();
    violations['connect link'] = await seriousAxeViolations(fresh.page);

    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((k) => [k, []])));
    // And axe does see a violation when there is one: an unlabelled field added to the page.
    await fresh.page.evaluate(`document.querySelector('main').append(Object.assign(document.createElement('input'), { id: 'no-label' }))`);
    expect((await seriousAxeViolations(fresh.page)).join('\n')).toMatch(/critical label: .*#no-label/);
    clean(problems);
    clean(fresh.problems);
  }, 90_000);

  it('"Delete" asks first, then removes the account', async () => {
    const { page, problems } = await signedIn();
    const atlassian = (await hub.hub.get('/integrated-accounts').expect(200)).body.result.find((a: { integration: string }) => a.integration === 'atlassian');
    await page.goto(`/#/accounts/${atlassian.id}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await hub.hub.get(`/integrated-accounts/${atlassian.id}`).expect(200);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    await hub.hub.get(`/integrated-accounts/${atlassian.id}`).expect(404);
    expect(await page.locator('tbody').textContent()).not.toContain('atlassian');
    clean(problems);
  });
});

/** Waits until `read()` equals `expected` (the page renders after its fetches answer). */
async function settles<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  await eventually(async () => expect(await read()).toEqual(expected), timeoutMs, 100);
}

/** One CSV line (RFC 4180 quoting). */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') cells.push(cell), (cell = '');
    else cell += c;
  }
  cells.push(cell);
  return cells;
}

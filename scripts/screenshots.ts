import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { configureHttp } from '../src/bootstrap';
import { SIM_ATL_KEY } from '../sandbox/atlassian/dataset';
import { startAtlassianSimulator } from '../sandbox/atlassian/server';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { startJetbrainsSimulator } from '../sandbox/jetbrains/server';
import { launchChromium } from '../test/browser/support/chromium';
import { ensureWebBuilt } from '../test/support/web-build';

/**
 * `npm run screenshots`: the web page's main pages as PNGs in docs/screenshots/, against the two
 * simulators and a hub on 127.0.0.1 (nothing leaves the machine), in Debian's Chromium.
 */
const OUT = join(__dirname, '..', 'docs', 'screenshots');

async function main(): Promise<void> {
  ensureWebBuilt();
  const jetbrains = await startJetbrainsSimulator({ dataset: 'small' });
  const atlassian = await startAtlassianSimulator({ dataset: 'tiny' });
  const apiKey = 'screenshots-api-key-0123456789abcdef';
  const app = await NestFactory.create(
    AppModule.create({
      env: {
        HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-screenshots-')),
        HUB_API_KEY: apiKey,
        HUB_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
        JETBRAINS_BASE_URL: jetbrains.baseUrl,
        ATLASSIAN_BASE_URL: atlassian.baseUrl,
      },
    }),
    { bodyParser: false, logger: ['error', 'warn'] },
  );
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of the hub's own API
  const call = async (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<any> => {
    const res = await fetch(origin + path, { method, headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const waitSynced = async (id: string) => {
    for (let i = 0; i < 300; i++) {
      if ((await call(`/integrated-accounts/${id}/syncs`)).result[0]?.status === 'succeeded') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`account ${id} did not sync`);
  };

  const jb = await call('/integrated-accounts', { integration: 'jetbrains', name: 'Acme JetBrains', credentials: { customer_code: String(SIM_CUSTOMER_CODE), api_key: SIM_ADMIN_TOKEN } });
  const atl = await call('/integrated-accounts', { integration: 'atlassian', name: 'Acme Atlassian', credentials: { api_key: SIM_ATL_KEY } });
  await waitSynced(jb.id);
  await waitSynced(atl.id);
  await call(`/integrated-accounts/${jb.id}/seat-prices`, { currency: 'EUR', prices: { II: { amount: 59.9, per: 'month' }, ALL: { amount: 779, per: 'year' } } }, 'PUT');
  await call('/api-keys', { name: 'CI reporting', scope: 'read' });
  const person = (await call('/unified/user-directory/people?limit=5')).result[2].email as string;
  const link = await call('/connect-sessions', { tenant_id: 'acme', integrations: ['jetbrains'] });

  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const shot = async (name: string) => {
      await page.locator('h1').first().waitFor();
      for (let i = 0; i < 100 && (await page.getByText('Loading…').count()) > 0; i++) await page.waitForTimeout(50);
      await page.screenshot({ path: join(OUT, `${name}.png`) });
      console.log(`docs/screenshots/${name}.png`);
    };
    await page.goto(`${origin}/`);
    await page.getByLabel('API key').fill(apiKey);
    await shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    await shot('connections');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('radio', { name: /JetBrains/ }).check();
    await page.getByLabel('Customer code').fill('12ab');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await shot('connect-form');
    await page.goto(`${origin}/#/accounts/${jb.id}`);
    await shot('account');
    await page.goto(`${origin}/#/people`);
    await shot('people');
    await page.goto(`${origin}/#/people/${encodeURIComponent(person)}`);
    await shot('person');
    await page.goto(`${origin}/#/seats`);
    await page.getByLabel('Account').selectOption(jb.id);
    await page.getByTestId('reclaimable-count').waitFor();
    await shot('seats');
    await page.goto(`${origin}/#/settings`);
    await shot('settings');
    const customer = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    await customer.goto(`${origin}/${new URL(link.url).hash}`);
    await customer.getByRole('heading', { level: 1, name: 'Connect your account' }).waitFor();
    await customer.screenshot({ path: join(OUT, 'connect-link.png') });
    console.log('docs/screenshots/connect-link.png');
  } finally {
    await browser.close();
    await app.close();
    await jetbrains.close();
    await atlassian.close();
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});

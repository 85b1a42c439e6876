import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { configureHttp } from '../src/bootstrap';
import { SIM_ATL_KEY } from '../sandbox/atlassian/dataset';
import { startAtlassianSimulator } from '../sandbox/atlassian/server';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { startJetbrainsSimulator } from '../sandbox/jetbrains/server';

/**
 * `npm run demo`: JetBrains and Atlassian simulators and a hub on 127.0.0.1, one sandbox
 * organization of each connected, and their people and seats to reclaim printed from the unified
 * API. Nothing leaves the machine.
 */
async function main(): Promise<void> {
  const dataset = process.argv[2] ?? 'small';
  const sim = await startJetbrainsSimulator({ dataset });
  const atlassian = await startAtlassianSimulator({ dataset: 'tiny' });
  const apiKey = 'demo-api-key-0123456789abcdef';
  const app = await NestFactory.create(
    AppModule.create({
      env: { HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-demo-')), HUB_API_KEY: apiKey, HUB_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'), JETBRAINS_BASE_URL: sim.baseUrl, ATLASSIAN_BASE_URL: atlassian.baseUrl },
    }),
    { bodyParser: false, logger: ['error', 'warn'] },
  );
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const hub = await app.getUrl();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a demo reading JSON it prints
  const call = async (path: string, init: RequestInit = {}): Promise<any> => {
    const res = await fetch(hub.replace('[::1]', '127.0.0.1') + path, {
      ...init,
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };

  console.log(`JetBrains simulator: ${sim.baseUrl} (${sim.api.dataset.licenses.length} licenses)`);
  console.log(`Atlassian simulator: ${atlassian.baseUrl}`);
  console.log(`Hub:                 ${hub}\n`);

  const connect = async (integration: string, credentials: Record<string, string>) => {
    const account = await call('/integrated-accounts', { method: 'POST', body: JSON.stringify({ integration, credentials }) });
    console.log(`Connected "${account.name}" as ${account.id}`);
    return account;
  };
  const readAll = async (resource: string, accountId: string) => {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : '';
      const page = await call(`/unified/user-directory/${resource}?integrated_account_id=${accountId}&limit=200${query}`);
      items.push(...page.result);
      cursor = page.next_cursor;
    } while (cursor);
    return items;
  };
  const show = async (accountId: string, rows: number) => {
    const users = await readAll('users', accountId);
    console.table(
      users.slice(0, rows).map((u) => ({
        user: u.email ?? `${u.name} (no email)`,
        products: [...new Set(u.licenses.map((l: { product_code: string }) => l.product_code))].join(', '),
        status: u.status,
        'last active': u.last_active_at ? u.last_active_at.slice(0, 10) : 'never',
      })),
    );
    if (users.length > rows) console.log(`… and ${users.length - rows} more people.`);
    const plans = await readAll('licenses', accountId);
    const seats = plans.reduce((sum, p) => sum + p.total, 0);
    console.log(`${users.length} people, ${users.filter((u) => u.status === 'active').length} active; ${seats} seats in ${plans.length} plans.`);
    await showReclaimable(accountId, 10);
  };
  // The hub decides what is reclaimable (src/seats/seat-rules.ts): the demo only prints its answer.
  const showReclaimable = async (accountId: string, rows: number) => {
    const page = await call(`/unified/user-directory/reclaimable-seats?integrated_account_id=${accountId}&limit=${rows}`);
    const { summary } = page;
    const products = summary.by_product
      .filter((p: { reclaimable: number }) => p.reclaimable > 0)
      .map((p: { product_name: string | null; product_code: string; reclaimable: number; assigned: number }) => `${p.product_name ?? p.product_code} ${p.reclaimable}/${p.assigned}`)
      .join(', ');
    const cost = summary.monthly_cost === null ? '' : `, ${summary.monthly_cost} ${summary.currency} a month`;
    console.log(
      `Seats to reclaim (inactive ${summary.inactive_days}+ days): ${summary.reclaimable} ` +
        `(${summary.by_reason.never_used} never used, ${summary.by_reason.inactive} inactive${cost})${products ? `: ${products}` : ''}; ` +
        `data synced ${page.synced_at}${page.stale ? ' (stale)' : ''}.`,
    );
    if (page.result.length === 0) return console.log('');
    console.table(
      page.result.map((seat: any) => ({
        user: seat.email ?? seat.name ?? seat.user_id,
        product: seat.product_name ?? seat.product_code,
        reason: seat.reason,
        'days inactive': seat.days_inactive ?? 'unknown',
        'last active': seat.last_active_at ? seat.last_active_at.slice(0, 10) : 'never',
      })),
    );
    if (summary.reclaimable > page.result.length) console.log(`… and ${summary.reclaimable - page.result.length} more seats to reclaim.`);
    console.log('');
  };

  const jetbrains = await connect('jetbrains', { customer_code: String(SIM_CUSTOMER_CODE), api_key: SIM_ADMIN_TOKEN });
  await show(jetbrains.id, 20);
  const cloud = await connect('atlassian', { api_key: SIM_ATL_KEY });
  await show(cloud.id, 20);

  await app.close();
  await sim.close();
  await atlassian.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

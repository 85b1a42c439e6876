import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { configureHttp } from '../src/bootstrap';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { startJetbrainsSimulator } from '../sandbox/jetbrains/server';

/**
 * `npm run demo`: a JetBrains simulator and a hub on 127.0.0.1, one sandbox organization
 * connected, and its people printed from the unified API. Nothing leaves the machine.
 */
async function main(): Promise<void> {
  const dataset = process.argv[2] ?? 'small';
  const sim = await startJetbrainsSimulator({ dataset });
  const apiKey = 'demo-api-key-0123456789abcdef';
  const app = await NestFactory.create(
    AppModule.create({
      env: { HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-demo-')), HUB_API_KEY: apiKey, HUB_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'), JETBRAINS_BASE_URL: sim.baseUrl },
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
  console.log(`Hub:                 ${hub}\n`);
  const account = await call('/integrated-accounts', {
    method: 'POST',
    body: JSON.stringify({ integration: 'jetbrains', credentials: { customer_code: String(SIM_CUSTOMER_CODE), api_key: SIM_ADMIN_TOKEN } }),
  });
  console.log(`Connected "${account.name}" (${account.access.role}, ${account.access.teams.length} teams) as ${account.id}\n`);

  const users: any[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : '';
    const page = await call(`/unified/user-directory/users?integrated_account_id=${account.id}&limit=200${query}`);
    users.push(...page.result);
    cursor = page.next_cursor;
  } while (cursor);

  const shown = users.slice(0, 25);
  console.table(
    shown.map((u) => ({
      email: u.email,
      products: [...new Set(u.licenses.map((l: { product_code: string }) => l.product_code))].join(', '),
      status: u.status,
      'last active': u.last_active_at ? u.last_active_at.slice(0, 10) : 'never',
    })),
  );
  if (users.length > shown.length) console.log(`… and ${users.length - shown.length} more people.\n`);

  const idle = users.filter((u) => !u.last_active_at || Date.now() - Date.parse(u.last_active_at) > 90 * 86_400_000);
  const plans = await call(`/unified/user-directory/licenses?integrated_account_id=${account.id}&limit=200`);
  const seats = plans.result.reduce((s: any, p: any) => ({ total: s.total + p.total, assigned: s.assigned + p.assigned, available: s.available + p.available }), { total: 0, assigned: 0, available: 0 });
  console.log(`${users.length} licensed people, ${users.filter((u) => u.status === 'active').length} active;`);
  console.log(`${idle.length} not seen in 90 days (seats to reclaim); ${seats.total} seats in ${plans.result_count} plans: ${seats.assigned} assigned, ${seats.available} free.`);

  await app.close();
  await sim.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { capturedLogs, connectSynced, TEST_API_KEY, TEST_ENCRYPTION_KEY, useFixture } from './support/fixture';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789abcdef';

/** One sample of the text exposition format: name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of a metric's samples whose labels include `where`. */
function total(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('GET /metrics', () => {
  const fx = useFixture();

  it('counts sync runs, upstream requests and retries, and proxied requests, and they move', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' }, { HUB_REPLICA_ID: 'replica-a' });
    const scrape = async () => parse((await hub.get('/metrics').expect(200).expect('Content-Type', /text\/plain/)).text);

    const before = await scrape();
    expect(total(before, 'hub_sync_runs_total')).toBe(0);
    // The embedded queue's depth is there from the start, idle.
    expect(before.filter((s) => s.name === 'hub_sync_queue_jobs').map((s) => s.labels)).toEqual(
      expect.arrayContaining([expect.objectContaining({ driver: 'embedded', state: 'waiting' }), expect.objectContaining({ driver: 'embedded', state: 'active' })]),
    );
    // Every series names the replica.
    expect(before.every((s) => s.labels.replica === 'replica-a')).toBe(true);

    const { id } = await connectSynced(hub);
    const afterSync = await scrape();
    expect(total(afterSync, 'hub_sync_runs_total', { integration: 'jetbrains', status: 'succeeded', code: '' })).toBe(1);
    expect(total(afterSync, 'hub_sync_run_duration_seconds_count', { integration: 'jetbrains', status: 'succeeded' })).toBe(1);
    const upstreamOk = total(afterSync, 'hub_upstream_requests_total', { service: 'JetBrains', outcome: '200' });
    expect(upstreamOk).toBeGreaterThan(0);
    expect(total(afterSync, 'hub_upstream_request_duration_seconds_count', { service: 'JetBrains' })).toBe(upstreamOk);

    // A throttled read is retried: counted by reason, and the 429 attempt by its status.
    sim.faults.update({ script: ['429'] });
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const afterRetry = await (async () => {
      for (let i = 0; i < 200; i++) {
        const samples = await scrape();
        if (total(samples, 'hub_sync_runs_total', { status: 'succeeded' }) === 2) return samples;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the second sync did not finish');
    })();
    expect(total(afterRetry, 'hub_upstream_retries_total', { service: 'JetBrains', reason: 'UPSTREAM_RATE_LIMITED' })).toBe(1);
    expect(total(afterRetry, 'hub_upstream_requests_total', { service: 'JetBrains', outcome: '429' })).toBe(1);

    // Proxied requests by status, with their latency.
    await hub.get(`/proxy/customer/licenses?perPage=1&integrated_account_id=${id}`).expect(200);
    await hub.get(`/proxy/customer/licenses?integrated_account_id=nope`).expect(404);
    const afterProxy = await scrape();
    expect(total(afterProxy, 'hub_proxy_requests_total', { integration: 'jetbrains', method: 'GET', status: '200' })).toBe(1);
    expect(total(afterProxy, 'hub_proxy_requests_total', { integration: 'unknown', method: 'GET', status: '404' })).toBe(1);
    expect(total(afterProxy, 'hub_proxy_request_duration_seconds_count', { integration: 'jetbrains', status: '200' })).toBe(1);
    expect(total(afterProxy, 'hub_proxy_request_duration_seconds_sum', { integration: 'jetbrains', status: '200' })).toBeGreaterThan(0);

    // No label value names an account, a customer or a credential.
    const secrets = [id, String(SIM_CUSTOMER_CODE), SIM_ADMIN_TOKEN, TEST_API_KEY, TEST_ENCRYPTION_KEY];
    const labelValues = new Set(afterProxy.flatMap((s) => Object.values(s.labels)));
    for (const value of labelValues) for (const secret of secrets) expect(value).not.toContain(secret);
    const raw = (await hub.get('/metrics').expect(200)).text;
    for (const secret of [id, SIM_ADMIN_TOKEN, TEST_API_KEY, TEST_ENCRYPTION_KEY]) expect(raw).not.toContain(secret);
  });

  it('counts failed authentications, refused and locked out, and logs each lockout once with its address', async () => {
    const hub = await fx.hub();
    const logsBefore = capturedLogs.length;
    for (let i = 0; i < 30; i++) await hub.raw().get('/integrations').set('Authorization', `Bearer wrong-key-${i}-0123456789abcdef`).expect(401);
    for (let i = 0; i < 2; i++) await hub.raw().get('/integrations').set('Authorization', 'Bearer wrong-key-again-0123456789abcdef').expect(429);
    const samples = parse((await hub.get('/metrics').expect(200)).text);
    expect(total(samples, 'hub_auth_refused_total', { result: 'refused' })).toBe(30);
    expect(total(samples, 'hub_auth_refused_total', { result: 'locked_out' })).toBe(2);
    const lockouts = capturedLogs.slice(logsBefore).filter((line) => line.includes('locked out'));
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatch(/locked out 127\.0\.0\.1 for \d+ s after 30 failed authentications/);
    expect(lockouts[0]).not.toContain('wrong-key');
  });

  it('needs an admin key without tenant: 401 without a key or with a wrong one, 403 for read and tenant keys', async () => {
    const hub = await fx.hub();
    const none = await hub.raw().get('/metrics').expect(401);
    expect(none.body.details.code).toBe('UNAUTHORIZED');
    expect(none.text).not.toContain('hub_');
    await hub.raw().get('/metrics').set('Authorization', 'Bearer not-a-key-at-all-0123456789').expect(401);
    // No metrics token is configured: a token-looking value is just a wrong key.
    await hub.raw().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(401);

    const read = (await hub.post('/api-keys', { name: 'reader', scope: 'read' }).expect(201)).body.key;
    const readAnswer = await hub.raw().get('/metrics').set('Authorization', `Bearer ${read}`).expect(403);
    expect(readAnswer.body.details.code).toBe('FORBIDDEN_SCOPE');
    const tenantAdmin = (await hub.post('/api-keys', { name: 'acme', scope: 'admin', tenant_id: 'acme' }).expect(201)).body.key;
    const tenantAnswer = await hub.raw().get('/metrics').set('Authorization', `Bearer ${tenantAdmin}`).expect(403);
    expect(tenantAnswer.body.details.code).toBe('FORBIDDEN_TENANT');
    const admin = (await hub.post('/api-keys', { name: 'ops', scope: 'admin' }).expect(201)).body.key;
    await hub.raw().get('/metrics').set('Authorization', `Bearer ${admin}`).expect(200);
  });

  it('with HUB_METRICS_TOKEN: that token or an admin key, and the token opens nothing else', async () => {
    const hub = await fx.hub({ HUB_METRICS_TOKEN: METRICS_TOKEN });
    const scraped = await hub.raw().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(scraped.text).toContain('hub_sync_runs_total');
    await hub.get('/metrics').expect(200);
    await hub.raw().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`).expect(401);
    await hub.raw().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN.slice(0, -1)}`).expect(401);
    await hub.raw().get('/metrics').set('Authorization', METRICS_TOKEN).expect(401);
    // The scraper's token is not an API key.
    await hub.raw().get('/integrated-accounts').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(401);
    await hub.raw().get('/docs-json').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(401);
  });

  it('refuses a HUB_METRICS_TOKEN too short to be a secret, naming the variable', async () => {
    await expect(fx.hub({ HUB_METRICS_TOKEN: 'short' })).rejects.toThrow(/HUB_METRICS_TOKEN must be 24 to 256 printable characters/);
  });
});

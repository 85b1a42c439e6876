import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHubConfig } from './hub-config';

const dir = () => mkdtempSync(join(tmpdir(), 'hub-config-'));

describe('loadHubConfig', () => {
  it('reads HUB_SESSION_TTL (12h by default, 1m to 30d) and HUB_TRUST_PROXY (none by default)', () => {
    expect(loadHubConfig({ HUB_DATA_DIR: dir() })).toMatchObject({ sessionTtlMs: 12 * 3_600_000, trustProxy: false });
    expect(loadHubConfig({ HUB_DATA_DIR: dir(), HUB_SESSION_TTL: '30m' }).sessionTtlMs).toBe(1_800_000);
    expect(() => loadHubConfig({ HUB_DATA_DIR: dir(), HUB_SESSION_TTL: '59s' })).toThrow(/HUB_SESSION_TTL must be at least 60000 ms/);
    expect(() => loadHubConfig({ HUB_DATA_DIR: dir(), HUB_SESSION_TTL: '31d' })).toThrow(/HUB_SESSION_TTL must be at most 30d/);
    expect(() => loadHubConfig({ HUB_DATA_DIR: dir(), HUB_SESSION_TTL: 'soon' })).toThrow(/HUB_SESSION_TTL must be a duration/);
    const trust = (value: string) => loadHubConfig({ HUB_DATA_DIR: dir(), HUB_TRUST_PROXY: value }).trustProxy;
    expect(trust('true')).toBe(true);
    expect(trust('false')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('loopback, 10.0.0.0/8,fd00::/8')).toBe('loopback,10.0.0.0/8,fd00::/8');
    for (const wrong of ['yes', 'everyone', '10.0.0.0/8;rm', '*']) {
      expect(() => trust(wrong)).toThrow(/HUB_TRUST_PROXY must be true, a number of proxy hops, or the proxies' addresses/);
    }
  });

  it('reads HUB_PUBLIC_URL: an http(s) URL, trailing slashes dropped; a query, fragment, credentials or other scheme are refused', () => {
    const publicUrl = (value?: string) => loadHubConfig({ HUB_DATA_DIR: dir(), ...(value === undefined ? {} : { HUB_PUBLIC_URL: value }) }).publicUrl;
    expect(publicUrl()).toBeNull();
    expect(publicUrl('')).toBeNull();
    expect(publicUrl('https://hub.example.com/')).toBe('https://hub.example.com');
    expect(publicUrl('https://example.com/hub//')).toBe('https://example.com/hub');
    expect(publicUrl('http://10.0.0.5:8080')).toBe('http://10.0.0.5:8080');
    for (const wrong of ['hub.example.com', 'ftp://hub.example.com', 'https://hub.example.com/?a=1', 'https://hub.example.com/#x', 'https://user:pw@hub.example.com', 'javascript:alert(1)']) {
      expect(() => publicUrl(wrong)).toThrow(/HUB_PUBLIC_URL must be the http\(s\) URL clients reach the hub at/);
    }
    // Credentials in a refused value are not repeated into the boot log.
    expect(() => publicUrl('https://admin:s3cret-pw@hub.example.com')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret-pw') }));
  });

  it('retries webhooks on the Standard Webhooks schedule unless HUB_WEBHOOK_RETRY_SCHEDULE says otherwise', () => {
    const s = 1000, m = 60 * s, h = 60 * m;
    expect(loadHubConfig({ HUB_DATA_DIR: dir() }).webhookRetryScheduleMs).toEqual([5 * s, 5 * m, 30 * m, 2 * h, 5 * h, 10 * h, 10 * h]);
    expect(loadHubConfig({ HUB_DATA_DIR: dir(), HUB_WEBHOOK_RETRY_SCHEDULE: '1s, 2s,500ms' }).webhookRetryScheduleMs).toEqual([1000, 2000, 500]);
  });

  it('uses the defaults and generates the API and encryption keys once, mode 0600', () => {
    const dataDir = dir();
    const first = loadHubConfig({ HUB_DATA_DIR: dataDir });
    expect(first).toMatchObject({ port: 3000, database: { kind: 'sqlite', file: join(dataDir, 'hub.sqlite') }, syncIntervalMs: 6 * 3_600_000, liveCacheTtlMs: 30_000, changesRetentionMs: 90 * 86_400_000, rateLimitPerMinute: 600 });
    // Where the key is and how to read it, never the key itself.
    expect(first.notices.some((n) => n.level === 'log' && n.message.includes(`cat ${join(dataDir, 'api-key')}`))).toBe(true);
    expect(first.notices.some((n) => n.message.includes(first.apiKey))).toBe(false);
    expect(first.notices.some((n) => n.level === 'warn' && /HUB_ENCRYPTION_KEY is not set/.test(n.message))).toBe(true);
    expect(statSync(join(dataDir, 'api-key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'encryption-key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'api-key'), 'utf8').trim()).toBe(first.apiKey);
    const second = loadHubConfig({ HUB_DATA_DIR: dataDir });
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
    // Where the key is is said only when it is created.
    expect(second.notices.some((n) => n.message.includes('Generated the hub API key'))).toBe(false);
  });

  it('reads PostgreSQL, durations and connector base URLs', () => {
    const config = loadHubConfig(
      { HUB_DATA_DIR: dir(), HUB_DATABASE_URL: 'postgres://u@h:5432/db', HUB_SYNC_INTERVAL: '30m', HUB_LIVE_CACHE_TTL: '0', HUB_RATE_LIMIT: '0', PORT: '8080', JETBRAINS_BASE_URL: 'http://127.0.0.1:9/api/v1/' },
      ['jetbrains'],
    );
    expect(config).toMatchObject({ port: 8080, database: { kind: 'postgres', url: 'postgres://u@h:5432/db' }, syncIntervalMs: 1_800_000, liveCacheTtlMs: 0, rateLimitPerMinute: 0 });
    expect(config.baseUrlOverrides).toEqual({ jetbrains: 'http://127.0.0.1:9/api/v1' });
  });

  it('reads HUB_HOST, and listens everywhere without it', () => {
    expect(loadHubConfig({ HUB_DATA_DIR: dir(), HUB_HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadHubConfig({ HUB_DATA_DIR: dir(), HUB_HOST: '::1' }).host).toBe('::1');
    expect(loadHubConfig({ HUB_DATA_DIR: dir(), HUB_HOST: 'localhost' }).host).toBe('localhost');
    expect(loadHubConfig({ HUB_DATA_DIR: dir() }).host).toBeUndefined();
  });

  it('warns when the data dir or a key file is open to group/others', () => {
    const dataDir = dir();
    expect(loadHubConfig({ HUB_DATA_DIR: dataDir }).notices.filter((n) => /open to group/.test(n.message))).toEqual([]);
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'encryption-key'), 0o644);
    const warnings = loadHubConfig({ HUB_DATA_DIR: dataDir }).notices.filter((n) => n.level === 'warn' && /open to group/.test(n.message));
    expect(warnings.map((n) => n.message)).toEqual([
      `${dataDir} is open to group/others (mode 0755): run \`chmod 700 ${dataDir}\``,
      `${join(dataDir, 'encryption-key')} is open to group/others (mode 0644): run \`chmod 600 ${join(dataDir, 'encryption-key')}\``,
    ]);
  });

  it('reads the proxy limits and the upstream body cap, with defaults', () => {
    expect(loadHubConfig({ HUB_DATA_DIR: dir() })).toMatchObject({
      proxyConcurrency: 16,
      proxyTimeoutMs: 60_000,
      proxyUploadTimeoutMs: 30_000,
      upstreamMaxBodyBytes: 64 * 1024 * 1024,
    });
    const config = loadHubConfig({
      HUB_DATA_DIR: dir(),
      HUB_PROXY_CONCURRENCY: '4',
      HUB_PROXY_TIMEOUT: '2m',
      HUB_PROXY_UPLOAD_TIMEOUT: '500ms',
      HUB_UPSTREAM_MAX_BODY: '512KB',
    });
    expect(config).toMatchObject({ proxyConcurrency: 4, proxyTimeoutMs: 120_000, proxyUploadTimeoutMs: 500, upstreamMaxBodyBytes: 512 * 1024 });
  });

  it('reads previous encryption keys (the current one repeated there is dropped) and the audit retention', () => {
    const [current, old1, old2] = [1, 2, 3].map((n) => Buffer.alloc(32, n));
    const config = loadHubConfig({
      HUB_DATA_DIR: dir(),
      HUB_ENCRYPTION_KEY: current!.toString('base64'),
      HUB_ENCRYPTION_KEYS_PREVIOUS: ` ${old1!.toString('base64')}, ${current!.toString('base64')},${old2!.toString('base64')},`,
      HUB_AUDIT_RETENTION: '90d',
    });
    expect(config.previousEncryptionKeys).toEqual([old1, old2]);
    expect(config.auditRetentionMs).toBe(90 * 86_400_000);
    const defaults = loadHubConfig({ HUB_DATA_DIR: dir() });
    expect(defaults.previousEncryptionKeys).toEqual([]);
    expect(defaults.auditRetentionMs).toBe(365 * 86_400_000);
  });

  it('never quotes a wrong previous key in its message', () => {
    const wrong = 'c2VjcmV0LWJ1dC10b28tc2hvcnQ=';
    expect(() => loadHubConfig({ HUB_DATA_DIR: dir(), HUB_ENCRYPTION_KEYS_PREVIOUS: wrong })).toThrow(/entry 1 is not$/);
  });

  it('in cluster mode (HUB_REDIS_URL) takes both keys from the environment only, naming the ones missing', () => {
    const keys = { HUB_API_KEY: 'k'.repeat(24), HUB_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(() => loadHubConfig({ HUB_DATA_DIR: dir(), HUB_REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      'HUB_REDIS_URL is set (cluster mode): set HUB_API_KEY and HUB_ENCRYPTION_KEY in the environment, the same on every replica',
    );
    expect(() => loadHubConfig({ HUB_DATA_DIR: dir(), HUB_REDIS_URL: 'redis://127.0.0.1:6379', HUB_API_KEY: keys.HUB_API_KEY })).toThrow(/: set HUB_ENCRYPTION_KEY in/);
    const dataDir = dir();
    const config = loadHubConfig({ HUB_DATA_DIR: dataDir, HUB_REDIS_URL: 'redis://127.0.0.1:6379', HUB_REDIS_PREFIX: 'acme', ...keys });
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'acme' });
    expect(config.notices).toEqual([]);
    expect(existsSync(join(dataDir, 'api-key'))).toBe(false);
    expect(loadHubConfig({ HUB_DATA_DIR: dir() })).toMatchObject({ redis: null, syncLeaseMs: 30_000, replicaId: null });
  });

  it('splits replicas by HUB_ROLE only in cluster mode', () => {
    const cluster = { HUB_REDIS_URL: 'redis://127.0.0.1:6379', HUB_API_KEY: 'k'.repeat(24), HUB_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(loadHubConfig({ HUB_DATA_DIR: dir() }).role).toBe('all');
    expect(loadHubConfig({ HUB_DATA_DIR: dir(), HUB_ROLE: 'worker', ...cluster }).role).toBe('worker');
    expect(() => loadHubConfig({ HUB_DATA_DIR: dir(), HUB_ROLE: 'api' })).toThrow(/^HUB_ROLE=api needs HUB_REDIS_URL/);
    expect(() => loadHubConfig({ HUB_DATA_DIR: dir(), HUB_ROLE: 'boss', ...cluster })).toThrow(/HUB_ROLE must be one of all, api, worker/);
  });

  it.each([
    [{ HUB_REDIS_URL: 'localhost:6379' }, /HUB_REDIS_URL must be a redis:\/\/host:port URL/],
    [{ HUB_SYNC_LEASE: 'long' }, /HUB_SYNC_LEASE must be a duration/],
    [{ HUB_SYNC_LEASE: '200ms' }, /HUB_SYNC_LEASE must be at least 1000 ms/],
    [{ HUB_REPLICA_ID: 'has spaces' }, /HUB_REPLICA_ID must be 1-64/],
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be an integer/],
    [{ HUB_HOST: 'http://0.0.0.0' }, /HUB_HOST must be an address or host name/],
    [{ HUB_HOST: 'a b' }, /HUB_HOST must be an address or host name/],
    [{ HUB_DATABASE_URL: 'mysql://x' }, /HUB_DATABASE_URL must be a postgres/],
    [{ HUB_API_KEY: 'short' }, /HUB_API_KEY must be at least 24/],
    [{ HUB_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, /HUB_ENCRYPTION_KEY must be 32 bytes/],
    [{ HUB_ENCRYPTION_KEY: 'not base64 at all!' }, /HUB_ENCRYPTION_KEY must be 32 bytes/],
    [{ HUB_SYNC_INTERVAL: 'often' }, /HUB_SYNC_INTERVAL must be a duration/],
    [{ HUB_SYNC_INTERVAL: '10ms' }, /HUB_SYNC_INTERVAL must be at least/],
    [{ JETBRAINS_BASE_URL: 'ftp://x' }, /JETBRAINS_BASE_URL must be an http\(s\) URL/],
    [{ HUB_SYNC_CONCURRENCY: '0' }, /HUB_SYNC_CONCURRENCY must be an integer between 1 and 64/],
    [{ HUB_LIVE_CACHE_TTL: 'briefly' }, /HUB_LIVE_CACHE_TTL must be a duration/],
    [{ HUB_CHANGES_RETENTION: 'forever' }, /HUB_CHANGES_RETENTION must be a duration/],
    [{ HUB_CHANGES_RETENTION: '1s' }, /HUB_CHANGES_RETENTION must be at least/],
    [{ HUB_PROXY_CONCURRENCY: '0' }, /HUB_PROXY_CONCURRENCY must be an integer between 1 and 1024/],
    [{ HUB_PROXY_CONCURRENCY: 'many' }, /HUB_PROXY_CONCURRENCY must be an integer/],
    [{ HUB_PROXY_TIMEOUT: 'forever' }, /HUB_PROXY_TIMEOUT must be a duration/],
    [{ HUB_PROXY_TIMEOUT: '10ms' }, /HUB_PROXY_TIMEOUT must be at least 100 ms/],
    [{ HUB_PROXY_UPLOAD_TIMEOUT: '-1' }, /HUB_PROXY_UPLOAD_TIMEOUT must be a duration/],
    [{ HUB_UPSTREAM_MAX_BODY: '64 megs' }, /HUB_UPSTREAM_MAX_BODY must be a size/],
    [{ HUB_UPSTREAM_MAX_BODY: '10' }, /HUB_UPSTREAM_MAX_BODY must be at least 1024 bytes/],
    [{ HUB_RATE_LIMIT: 'lots' }, /HUB_RATE_LIMIT must be an integer between 0/],
    [{ HUB_RATE_LIMIT: '-1' }, /HUB_RATE_LIMIT must be an integer between 0/],
    [{ HUB_ENCRYPTION_KEYS_PREVIOUS: `${Buffer.alloc(32, 1).toString('base64')},short` }, /HUB_ENCRYPTION_KEYS_PREVIOUS must be .*entry 2 is not/],
    [{ HUB_AUDIT_RETENTION: 'a year' }, /HUB_AUDIT_RETENTION must be a duration/],
    [{ HUB_AUDIT_RETENTION: '10m' }, /HUB_AUDIT_RETENTION must be at least/],
    [{ HUB_WEBHOOK_RETRY_SCHEDULE: 'soon' }, /HUB_WEBHOOK_RETRY_SCHEDULE must be 1 to 20 comma-separated durations/],
    [{ HUB_WEBHOOK_RETRY_SCHEDULE: '1s,,2s' }, /HUB_WEBHOOK_RETRY_SCHEDULE must be 1 to 20 comma-separated durations/],
  ])('stops on %o naming the variable', (env, message) => {
    expect(() => loadHubConfig({ HUB_DATA_DIR: dir(), ...env }, ['jetbrains'])).toThrow(message);
  });
});

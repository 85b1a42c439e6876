import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHubConfig } from './hub-config';

const dir = () => mkdtempSync(join(tmpdir(), 'hub-config-'));

describe('loadHubConfig', () => {
  it('uses the defaults and generates the API and encryption keys once, mode 0600', () => {
    const dataDir = dir();
    const first = loadHubConfig({ HUB_DATA_DIR: dataDir });
    expect(first).toMatchObject({ port: 3000, database: { kind: 'sqlite', file: join(dataDir, 'hub.sqlite') }, syncIntervalMs: 6 * 3_600_000 });
    expect(first.notices.some((n) => n.level === 'log' && n.message.includes(first.apiKey))).toBe(true);
    expect(first.notices.some((n) => n.level === 'warn' && /HUB_ENCRYPTION_KEY is not set/.test(n.message))).toBe(true);
    expect(statSync(join(dataDir, 'api-key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'encryption-key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'api-key'), 'utf8').trim()).toBe(first.apiKey);
    const second = loadHubConfig({ HUB_DATA_DIR: dataDir });
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
    // The key is printed only when it is created.
    expect(second.notices.some((n) => n.message.includes(second.apiKey))).toBe(false);
  });

  it('reads PostgreSQL, durations and connector base URLs', () => {
    const config = loadHubConfig(
      { HUB_DATA_DIR: dir(), HUB_DATABASE_URL: 'postgres://u@h:5432/db', HUB_SYNC_INTERVAL: '30m', PORT: '8080', JETBRAINS_BASE_URL: 'http://127.0.0.1:9/api/v1/' },
      ['jetbrains'],
    );
    expect(config).toMatchObject({ port: 8080, database: { kind: 'postgres', url: 'postgres://u@h:5432/db' }, syncIntervalMs: 1_800_000 });
    expect(config.baseUrlOverrides).toEqual({ jetbrains: 'http://127.0.0.1:9/api/v1' });
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
    [{ HUB_DATABASE_URL: 'mysql://x' }, /HUB_DATABASE_URL must be a postgres/],
    [{ HUB_API_KEY: 'short' }, /HUB_API_KEY must be at least 24/],
    [{ HUB_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, /HUB_ENCRYPTION_KEY must be 32 bytes/],
    [{ HUB_ENCRYPTION_KEY: 'not base64 at all!' }, /HUB_ENCRYPTION_KEY must be 32 bytes/],
    [{ HUB_SYNC_INTERVAL: 'often' }, /HUB_SYNC_INTERVAL must be a duration/],
    [{ HUB_SYNC_INTERVAL: '10ms' }, /HUB_SYNC_INTERVAL must be at least/],
    [{ JETBRAINS_BASE_URL: 'ftp://x' }, /JETBRAINS_BASE_URL must be an http\(s\) URL/],
    [{ HUB_SYNC_CONCURRENCY: '0' }, /HUB_SYNC_CONCURRENCY must be an integer between 1 and 64/],
  ])('stops on %o naming the variable', (env, message) => {
    expect(() => loadHubConfig({ HUB_DATA_DIR: dir(), ...env }, ['jetbrains'])).toThrow(message);
  });
});

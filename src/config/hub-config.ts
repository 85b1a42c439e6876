import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { resolve } from 'node:path';
import { HUB_ENV_KEYS, HubEnv, parseDuration, parseSize } from './env.schema';
import { ensureDataDir, generateApiKey, generateEncryptionKey, readOrCreateSecret } from './data-dir-secrets';
import { looseModeWarnings } from './file-modes';

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** The hub's settings, resolved and validated. The only place that reads the environment. */
export interface HubConfig {
  port: number;
  /** Listen address; undefined listens on every interface (Node's default). */
  host?: string;
  dataDir: string;
  database: DatabaseConfig;
  apiKey: string;
  /** Seals new values and signs new cursors. */
  encryptionKey: Buffer;
  /** Older keys (HUB_ENCRYPTION_KEYS_PREVIOUS): still open sealed values and verify cursors, never used to write. */
  previousEncryptionKeys: Buffer[];
  /** How long audit events are kept (HUB_AUDIT_RETENTION). */
  auditRetentionMs: number;
  syncIntervalMs: number;
  firstSyncWaitMs: number;
  upstreamTimeoutMs: number;
  retryAfterCapMs: number;
  /** Longest a whole sync run may take before it is stopped (the previous snapshot stays). */
  syncBudgetMs: number;
  /** Sync runs reading upstreams at once, across accounts; more wait as `queued`. */
  syncConcurrency: number;
  /** How long the whole-organization read behind `source=live` answers is reused (0: shared while in flight only). */
  liveCacheTtlMs: number;
  /** How long the change feed keeps a change; a cursor from before that answers 410. */
  changesRetentionMs: number;
  /** Proxied requests in flight per account; one more is answered 429 PROXY_BUSY. */
  proxyConcurrency: number;
  /** Total time a proxied request may take, upload and download included (not an idle timeout). */
  proxyTimeoutMs: number;
  /** Time a client has to send a proxied request's whole body; slower uploads get 408. */
  proxyUploadTimeoutMs: number;
  /** Largest upstream body the hub reads itself (token, pages); the proxy streams any size. */
  upstreamMaxBodyBytes: number;
  /** Requests a minute each API key may make (the root key too); 0: no limit. */
  rateLimitPerMinute: number;
  /** Waits before each retry of a webhook delivery; a delivery is given up after the last. */
  webhookRetryScheduleMs: number[];
  /** Which webhook endpoints may target loopback and private addresses (HUB_WEBHOOK_PRIVATE_TARGETS). */
  webhookPrivateTargets: 'untenanted' | 'all' | 'none';
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** `text` (Nest's console lines) or `json` (one JSON object a line). */
  logFormat: 'text' | 'json';
  /** A bearer token for `GET /metrics` alone (a scraper's), or null: an admin key only. */
  metricsToken: string | null;
  /** How long SIGTERM waits for sync runs going here before it stops them (they are then run again). */
  shutdownTimeoutMs: number;
  /** How long a replica's claim on a sync run holds without renewal; then other replicas reclaim it. */
  syncLeaseMs: number;
  /** This replica's name in sync runs it owns (HUB_REPLICA_ID), or null to derive one from host and pid. */
  replicaId: string | null;
  /** What this replica does: `all`; `api` (HTTP API, no sync jobs, no schedule); `worker` (sync jobs and schedule, only /health over HTTP). */
  role: 'all' | 'api' | 'worker';
  /** Cluster mode: sync jobs on BullMQ in this Redis, keys under `prefix`; null for the embedded queue. */
  redis: { url: string; prefix: string } | null;
  /** How long a browser session (POST /session) lasts (HUB_SESSION_TTL). */
  sessionTtlMs: number;
  /**
   * Express's `trust proxy` (HUB_TRUST_PROXY): which proxies' X-Forwarded-For / -Proto are believed
   * (client address, https for the cookie's Secure flag); false: none, the socket is the client.
   */
  trustProxy: boolean | number | string;
  /**
   * Where clients reach the hub (HUB_PUBLIC_URL, no trailing slash), for the URLs it hands out:
   * connect links and the proxy's rewritten Link headers. Null: taken from each request's Host.
   */
  publicUrl: string | null;
  /** Base-URL overrides from `<CONNECTOR_ID>_BASE_URL`, keyed by connector id. */
  baseUrlOverrides: Record<string, string>;
  /** Lines to show once at boot (a generated API key, a generated-key warning). */
  notices: { level: 'log' | 'warn'; message: string }[];
}

/** Standard Webhooks' suggested schedule: about 27 hours from the first attempt to the last. */
const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export function loadHubConfig(env: Env = process.env, connectorIds: string[] = []): HubConfig {
  const parsed = plainToInstance(HubEnv, pick(env, HUB_ENV_KEYS));
  const errors = validateSync(parsed, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = [...new Set(errors.flatMap((e) => Object.values(e.constraints ?? {})))];
    throw new ConfigError(`Invalid configuration:\n  - ${lines.join('\n  - ')}`);
  }
  if (parsed.HUB_REDIS_URL) requireClusterSecrets(parsed);
  if (parsed.HUB_ROLE && parsed.HUB_ROLE !== 'all' && !parsed.HUB_REDIS_URL) {
    throw new ConfigError(`HUB_ROLE=${parsed.HUB_ROLE} needs HUB_REDIS_URL: api and worker replicas share their sync jobs through Redis (leave HUB_ROLE unset for a single hub)`);
  }
  const dataDir = resolve(parsed.HUB_DATA_DIR ?? './data');
  ensureDataDir(dataDir);
  const notices: HubConfig['notices'] = [];

  let apiKey = parsed.HUB_API_KEY;
  if (!apiKey) {
    const secret = readOrCreateSecret(dataDir, 'api-key', generateApiKey);
    apiKey = secret.value;
    if (secret.created) {
      // The key itself never reaches the log (logs are shipped and kept); the file is 0600.
      notices.push({
        level: 'log',
        message: `Generated the hub API key into ${secret.path} (mode 0600); read it with: cat ${secret.path}`,
      });
    }
  }

  let encryptionKeyText = parsed.HUB_ENCRYPTION_KEY;
  if (!encryptionKeyText) {
    const secret = readOrCreateSecret(dataDir, 'encryption-key', generateEncryptionKey);
    encryptionKeyText = secret.value;
    notices.push({
      level: 'warn',
      message: `HUB_ENCRYPTION_KEY is not set; using the key ${secret.created ? 'generated into' : 'kept in'} ${secret.path}. ` +
        'Set HUB_ENCRYPTION_KEY from a secret store in production, and back the key up: without it stored credentials are lost.',
    });
  }
  const encryptionKey = decodeKey(encryptionKeyText);
  const previousEncryptionKeys = previousKeys(parsed.HUB_ENCRYPTION_KEYS_PREVIOUS, encryptionKey);
  for (const message of looseModeWarnings(dataDir, ['api-key', 'encryption-key'])) notices.push({ level: 'warn', message });

  const baseUrlOverrides: Record<string, string> = {};
  for (const id of connectorIds) {
    const name = baseUrlVariable(id);
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (!isHttpUrl(value)) throw new ConfigError(`Invalid configuration:\n  - ${name} must be an http(s) URL, got "${value}"`);
    baseUrlOverrides[id] = value.replace(/\/+$/, '');
  }

  return {
    port: parsed.PORT ?? 3000,
    host: parsed.HUB_HOST,
    dataDir,
    database: parsed.HUB_DATABASE_URL
      ? { kind: 'postgres', url: parsed.HUB_DATABASE_URL }
      : { kind: 'sqlite', file: resolve(dataDir, 'hub.sqlite') },
    apiKey,
    encryptionKey,
    previousEncryptionKeys,
    auditRetentionMs: duration(parsed.HUB_AUDIT_RETENTION, '365d', 'HUB_AUDIT_RETENTION', 3_600_000),
    syncIntervalMs: duration(parsed.HUB_SYNC_INTERVAL, '6h', 'HUB_SYNC_INTERVAL', 1000),
    firstSyncWaitMs: duration(parsed.HUB_FIRST_SYNC_WAIT, '10s', 'HUB_FIRST_SYNC_WAIT', 0),
    upstreamTimeoutMs: duration(parsed.HUB_UPSTREAM_TIMEOUT, '30s', 'HUB_UPSTREAM_TIMEOUT', 100),
    retryAfterCapMs: duration(parsed.HUB_RETRY_AFTER_CAP, '60s', 'HUB_RETRY_AFTER_CAP', 0),
    syncBudgetMs: duration(parsed.HUB_SYNC_BUDGET, '30m', 'HUB_SYNC_BUDGET', 1000),
    syncConcurrency: parsed.HUB_SYNC_CONCURRENCY ?? 4,
    liveCacheTtlMs: duration(parsed.HUB_LIVE_CACHE_TTL, '30s', 'HUB_LIVE_CACHE_TTL', 0),
    changesRetentionMs: duration(parsed.HUB_CHANGES_RETENTION, '90d', 'HUB_CHANGES_RETENTION', 3_600_000),
    proxyConcurrency: parsed.HUB_PROXY_CONCURRENCY ?? 16,
    proxyTimeoutMs: duration(parsed.HUB_PROXY_TIMEOUT, '60s', 'HUB_PROXY_TIMEOUT', 100),
    proxyUploadTimeoutMs: duration(parsed.HUB_PROXY_UPLOAD_TIMEOUT, '30s', 'HUB_PROXY_UPLOAD_TIMEOUT', 100),
    upstreamMaxBodyBytes: size(parsed.HUB_UPSTREAM_MAX_BODY, '64mb', 'HUB_UPSTREAM_MAX_BODY', 1024),
    rateLimitPerMinute: parsed.HUB_RATE_LIMIT ?? 600,
    webhookPrivateTargets: (parsed.HUB_WEBHOOK_PRIVATE_TARGETS ?? 'untenanted') as HubConfig['webhookPrivateTargets'],
    webhookRetryScheduleMs: (parsed.HUB_WEBHOOK_RETRY_SCHEDULE ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE).split(',').map((d) => parseDuration(d.trim())),
    logLevel: (parsed.HUB_LOG_LEVEL ?? 'log') as HubConfig['logLevel'],
    logFormat: (parsed.HUB_LOG_FORMAT ?? 'text') as HubConfig['logFormat'],
    metricsToken: parsed.HUB_METRICS_TOKEN ?? null,
    shutdownTimeoutMs: duration(parsed.HUB_SHUTDOWN_TIMEOUT, '25s', 'HUB_SHUTDOWN_TIMEOUT', 0),
    syncLeaseMs: duration(parsed.HUB_SYNC_LEASE, '30s', 'HUB_SYNC_LEASE', 1000),
    replicaId: parsed.HUB_REPLICA_ID ?? null,
    role: (parsed.HUB_ROLE ?? 'all') as HubConfig['role'],
    redis: parsed.HUB_REDIS_URL ? { url: parsed.HUB_REDIS_URL, prefix: parsed.HUB_REDIS_PREFIX ?? 'hub' } : null,
    sessionTtlMs: sessionTtl(parsed.HUB_SESSION_TTL),
    trustProxy: trustProxy(parsed.HUB_TRUST_PROXY),
    publicUrl: publicUrl(parsed.HUB_PUBLIC_URL),
    baseUrlOverrides,
    notices,
  };
}

const THIRTY_DAYS_MS = 30 * 86_400_000;

function sessionTtl(value: string | undefined): number {
  const ms = duration(value, '12h', 'HUB_SESSION_TTL', 60_000);
  if (ms > THIRTY_DAYS_MS) throw new ConfigError('Invalid configuration:\n  - HUB_SESSION_TTL must be at most 30d');
  return ms;
}

function publicUrl(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  const url = URL.canParse(value.trim()) ? new URL(value.trim()) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(
      // A value with credentials in it is not quoted: they would end up in the boot log.
      `Invalid configuration:\n  - HUB_PUBLIC_URL must be the http(s) URL clients reach the hub at, such as https://hub.example.com or https://example.com/hub (no query, fragment or credentials)${value.includes('@') ? '' : `, got "${value}"`}`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((part) => part.trim()).join(',');
}

export function baseUrlVariable(connectorId: string): string {
  return `${connectorId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`;
}

/**
 * Replicas of a cluster must share one API key and one encryption key: a key generated into one
 * replica's data dir would be unknown to the others (401s, credentials nobody else can open).
 */
function requireClusterSecrets(parsed: HubEnv): void {
  const missing = (['HUB_API_KEY', 'HUB_ENCRYPTION_KEY'] as const).filter((name) => !parsed[name]);
  if (missing.length > 0) {
    throw new ConfigError(`HUB_REDIS_URL is set (cluster mode): set ${missing.join(' and ')} in the environment, the same on every replica`);
  }
}

function pick(env: Env, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function duration(value: string | undefined, fallback: string, name: string, minimumMs: number): number {
  const ms = parseDuration(value ?? fallback);
  if (ms < minimumMs) throw new ConfigError(`Invalid configuration:\n  - ${name} must be at least ${minimumMs} ms`);
  return ms;
}

function size(value: string | undefined, fallback: string, name: string, minimumBytes: number): number {
  const bytes = parseSize(value ?? fallback);
  if (bytes < minimumBytes) throw new ConfigError(`Invalid configuration:\n  - ${name} must be at least ${minimumBytes} bytes`);
  return bytes;
}

function decodeKey(text: string): Buffer {
  const key = base64Key(text);
  if (!key) {
    throw new ConfigError(
      'Invalid configuration:\n  - HUB_ENCRYPTION_KEY must be 32 bytes encoded in base64 (e.g. `openssl rand -base64 32`)',
    );
  }
  return key;
}

/**
 * HUB_ENCRYPTION_KEYS_PREVIOUS: comma-separated, each like HUB_ENCRYPTION_KEY. A wrong entry is
 * named by its position, never quoted (it is a key). The current key repeated there is dropped.
 */
function previousKeys(text: string | undefined, current: Buffer): Buffer[] {
  const keys: Buffer[] = [];
  (text ?? '').split(',').forEach((entry, index) => {
    if (entry.trim() === '') return;
    const key = base64Key(entry.trim());
    if (!key) {
      throw new ConfigError(
        `Invalid configuration:\n  - HUB_ENCRYPTION_KEYS_PREVIOUS must be a comma-separated list of keys of 32 bytes in base64; entry ${index + 1} is not`,
      );
    }
    if (!key.equals(current) && !keys.some((k) => k.equals(key))) keys.push(key);
  });
  return keys;
}

function base64Key(text: string): Buffer | null {
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  return key.length === 32 ? key : null;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

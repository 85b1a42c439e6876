import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const DURATION = /^\d+(ms|s|m|h|d)?$/;
/** An IPv4 or IPv6 literal, or a DNS name (checked again by the OS when the hub listens). */
const LISTEN_HOST = /^(?:[0-9a-fA-F:.]+|(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$/;

export const HUB_ENV_KEYS = [
  'PORT', 'HUB_HOST', 'HUB_DATA_DIR', 'HUB_DATABASE_URL', 'HUB_API_KEY', 'HUB_ENCRYPTION_KEY', 'HUB_SYNC_INTERVAL',
  'HUB_FIRST_SYNC_WAIT', 'HUB_UPSTREAM_TIMEOUT', 'HUB_RETRY_AFTER_CAP', 'HUB_SYNC_BUDGET', 'HUB_SYNC_CONCURRENCY', 'HUB_LIVE_CACHE_TTL', 'HUB_CHANGES_RETENTION', 'HUB_LOG_LEVEL',
  'HUB_PROXY_CONCURRENCY', 'HUB_PROXY_TIMEOUT', 'HUB_PROXY_UPLOAD_TIMEOUT', 'HUB_UPSTREAM_MAX_BODY', 'HUB_RATE_LIMIT',
  'HUB_ENCRYPTION_KEYS_PREVIOUS', 'HUB_AUDIT_RETENTION',
  'HUB_SYNC_LEASE', 'HUB_REPLICA_ID', 'HUB_REDIS_URL', 'HUB_REDIS_PREFIX', 'HUB_ROLE', 'HUB_WEBHOOK_RETRY_SCHEDULE',
  'HUB_SESSION_TTL', 'HUB_TRUST_PROXY',
  'HUB_METRICS_TOKEN', 'HUB_LOG_FORMAT', 'HUB_SHUTDOWN_TIMEOUT', 'HUB_WEBHOOK_PRIVATE_TARGETS', 'HUB_PUBLIC_URL',
] as const;

/** Express's `trust proxy`: true/false, a hop count, or addresses, subnets and loopback/linklocal/uniquelocal, comma-separated. */
const TRUST_PROXY = /^(true|false|\d{1,2}|(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?))*)$/;

const SIZE = /^\d+(b|kb|mb|gb)?$/i;

/**
 * The environment variables the hub reads, with their rules. Validated once at boot; a wrong value
 * stops the hub with a message naming the variable.
 */
export class HubEnv {
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'PORT must be an integer between 0 and 65535' })
  @Min(0, { message: 'PORT must be an integer between 0 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 0 and 65535' })
  PORT?: number;

  @IsOptional()
  @Matches(LISTEN_HOST, {
    message: 'HUB_HOST must be an address or host name to listen on, such as 127.0.0.1, 0.0.0.0, :: or localhost (leave it unset for all interfaces)',
  })
  HUB_HOST?: string;

  @IsOptional()
  @IsString()
  HUB_DATA_DIR?: string;

  @IsOptional()
  @Matches(/^(postgres|postgresql):\/\/.+/, {
    message: 'HUB_DATABASE_URL must be a postgres://user@host:port/db URL (leave it unset for the SQLite file)',
  })
  HUB_DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._~+/=-]{24,}$/, {
    message: 'HUB_API_KEY must be at least 24 characters of letters, digits or ._~+/=- (leave it unset to generate one)',
  })
  HUB_API_KEY?: string;

  @IsOptional()
  @IsString()
  HUB_ENCRYPTION_KEY?: string;

  /** Older keys still accepted for reading (comma-separated); each is checked in hub-config.ts. */
  @IsOptional()
  @IsString()
  HUB_ENCRYPTION_KEYS_PREVIOUS?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_AUDIT_RETENTION must be a duration such as 365d, 90d or 12h' })
  HUB_AUDIT_RETENTION?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_SYNC_INTERVAL must be a duration such as 6h, 30m or 90s' })
  HUB_SYNC_INTERVAL?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_FIRST_SYNC_WAIT must be a duration such as 10s or 500ms' })
  HUB_FIRST_SYNC_WAIT?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_UPSTREAM_TIMEOUT must be a duration such as 30s' })
  HUB_UPSTREAM_TIMEOUT?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_RETRY_AFTER_CAP must be a duration such as 60s' })
  HUB_RETRY_AFTER_CAP?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_SYNC_BUDGET must be a duration such as 30m' })
  HUB_SYNC_BUDGET?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'HUB_SYNC_CONCURRENCY must be an integer between 1 and 64' })
  @Min(1, { message: 'HUB_SYNC_CONCURRENCY must be an integer between 1 and 64' })
  @Max(64, { message: 'HUB_SYNC_CONCURRENCY must be an integer between 1 and 64' })
  HUB_SYNC_CONCURRENCY?: number;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_LIVE_CACHE_TTL must be a duration such as 30s (0 keeps nothing and only shares reads in flight)' })
  HUB_LIVE_CACHE_TTL?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_CHANGES_RETENTION must be a duration such as 90d or 720h' })
  HUB_CHANGES_RETENTION?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'HUB_PROXY_CONCURRENCY must be an integer between 1 and 1024' })
  @Min(1, { message: 'HUB_PROXY_CONCURRENCY must be an integer between 1 and 1024' })
  @Max(1024, { message: 'HUB_PROXY_CONCURRENCY must be an integer between 1 and 1024' })
  HUB_PROXY_CONCURRENCY?: number;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_PROXY_TIMEOUT must be a duration such as 60s or 2m' })
  HUB_PROXY_TIMEOUT?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_PROXY_UPLOAD_TIMEOUT must be a duration such as 30s' })
  HUB_PROXY_UPLOAD_TIMEOUT?: string;

  @IsOptional()
  @Matches(SIZE, { message: 'HUB_UPSTREAM_MAX_BODY must be a size such as 64mb, 512kb or a number of bytes' })
  HUB_UPSTREAM_MAX_BODY?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'HUB_RATE_LIMIT must be an integer between 0 (no limit) and 10000 requests a minute' })
  @Min(0, { message: 'HUB_RATE_LIMIT must be an integer between 0 (no limit) and 10000 requests a minute' })
  @Max(10_000, { message: 'HUB_RATE_LIMIT must be an integer between 0 (no limit) and 10000 requests a minute' })
  HUB_RATE_LIMIT?: number;


  @IsOptional()
  @Matches(DURATION, { message: 'HUB_SYNC_LEASE must be a duration such as 30s' })
  HUB_SYNC_LEASE?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'HUB_REPLICA_ID must be 1-64 letters, digits or ._:- (leave it unset to use host and process id)' })
  HUB_REPLICA_ID?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'HUB_REDIS_URL must be a redis://host:port URL (leave it unset for the embedded queue)' })
  HUB_REDIS_URL?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'HUB_REDIS_PREFIX must be 1-64 letters, digits or ._:-' })
  HUB_REDIS_PREFIX?: string;

  @IsOptional()
  @IsIn(['all', 'api', 'worker'], { message: 'HUB_ROLE must be one of all, api, worker' })
  HUB_ROLE?: string;

  @IsOptional()
  @Matches(/^\s*\d+(ms|s|m|h|d)?\s*(,\s*\d+(ms|s|m|h|d)?\s*){0,19}$/, {
    message: 'HUB_WEBHOOK_RETRY_SCHEDULE must be 1 to 20 comma-separated durations, the waits before each retry, such as 5s,5m,30m,2h',
  })
  HUB_WEBHOOK_RETRY_SCHEDULE?: string;

  @IsOptional()
  @IsIn(['untenanted', 'all', 'none'], {
    message: 'HUB_WEBHOOK_PRIVATE_TARGETS must be untenanted (the default: only endpoints without a tenant may target loopback or private addresses), all or none',
  })
  HUB_WEBHOOK_PRIVATE_TARGETS?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_SESSION_TTL must be a duration such as 12h, 30m or 7d (at least 1m, at most 30d)' })
  HUB_SESSION_TTL?: string;

  @IsOptional()
  @Matches(TRUST_PROXY, {
    message:
      'HUB_TRUST_PROXY must be true, a number of proxy hops, or the proxies\' addresses or subnets, comma-separated (loopback, 10.0.0.0/8, …); leave it unset when no proxy is in front',
  })
  HUB_TRUST_PROXY?: string;

  @IsOptional()
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'], { message: 'HUB_LOG_LEVEL must be one of error, warn, log, debug, verbose' })
  HUB_LOG_LEVEL?: string;

  @IsOptional()
  @IsIn(['text', 'json'], { message: 'HUB_LOG_FORMAT must be text or json (one JSON object a line)' })
  HUB_LOG_FORMAT?: string;

  @IsOptional()
  @Matches(/^[\x21-\x7e]{24,256}$/, { message: 'HUB_METRICS_TOKEN must be 24 to 256 printable characters without spaces (e.g. openssl rand -hex 24)' })
  HUB_METRICS_TOKEN?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'HUB_SHUTDOWN_TIMEOUT must be a duration such as 25s' })
  HUB_SHUTDOWN_TIMEOUT?: string;

  /** Checked in hub-config (publicUrl): an http(s) URL without query, fragment or credentials. */
  @IsOptional()
  HUB_PUBLIC_URL?: string;
}

/** Parses `6h`, `30m`, `90s`, `500ms` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
  return value * factor;
}

/** Parses `64mb`, `512kb`, `1gb` or a bare number of bytes (binary units: 1kb = 1024 bytes). */
export function parseSize(text: string): number {
  const match = /^(\d+)(b|kb|mb|gb)?$/i.exec(text);
  if (!match) throw new Error(`not a size: ${text}`);
  const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b']!;
  return Number(match[1]) * factor;
}

import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const DURATION = /^\d+(ms|s|m|h|d)?$/;

export const HUB_ENV_KEYS = [
  'PORT', 'HUB_DATA_DIR', 'HUB_DATABASE_URL', 'HUB_API_KEY', 'HUB_ENCRYPTION_KEY', 'HUB_SYNC_INTERVAL',
  'HUB_FIRST_SYNC_WAIT', 'HUB_UPSTREAM_TIMEOUT', 'HUB_RETRY_AFTER_CAP', 'HUB_SYNC_BUDGET', 'HUB_SYNC_CONCURRENCY', 'HUB_LOG_LEVEL',
  'HUB_SYNC_LEASE', 'HUB_REPLICA_ID', 'HUB_REDIS_URL', 'HUB_REDIS_PREFIX', 'HUB_ROLE',
] as const;

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
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'], { message: 'HUB_LOG_LEVEL must be one of error, warn, log, debug, verbose' })
  HUB_LOG_LEVEL?: string;
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

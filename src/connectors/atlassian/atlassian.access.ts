import { isHubError } from '../../common/errors';
import type { Credentials } from '../../connector-kit';
import type { MappingOptions } from './atlassian.mapper';

/**
 * What one Admin API endpoint gave this key: `forbidden` when the key lacks its scope (403),
 * `missing` when the organization's API surface does not have it (404, 405 or 501: some
 * organizations have no v2 user search, or no v2 at all), `unchecked` when it was not needed.
 */
export type ApiState = 'available' | 'forbidden' | 'missing' | 'unchecked';

/** Which v2 endpoint lists the directory's users, if any. */
export type DirectoryUsersVia = 'search' | 'list' | null;

const status = (error: unknown) => (isHubError(error) ? error.details?.upstream_status : undefined);

/** A 403 means the key lacks the scope for that API; the connector then does without it. */
export const isForbidden = (error: unknown) => status(error) === 403;

/** The endpoint does not exist for this organization: another try, or another key, gets the same. */
export const isMissing = (error: unknown) => [404, 405, 501].includes(status(error) as number);

/** 400 `ADMIN-400-1`: the upstream does not know (any more) the cursor it was given. */
export const isInvalidUpstreamCursor = (error: unknown) => status(error) === 400 && isHubError(error) && error.details?.upstream_code === 'ADMIN-400-1';

/**
 * Reads once to learn whether an endpoint is there for this key. Only v2 endpoints may be
 * `missing`; a 404 elsewhere (an unknown organization, say) is a real failure and is thrown.
 */
export async function probe(read: () => Promise<unknown>, mayBeMissing: boolean): Promise<ApiState> {
  try {
    await read();
    return 'available';
  } catch (error) {
    if (isForbidden(error)) return 'forbidden';
    if (mayBeMissing && isMissing(error)) return 'missing';
    throw error;
  }
}

/** Runs `read`, or gives null when the endpoint is forbidden to the key or (if allowed) missing. */
export function unlessUnavailable<T>(read: () => Promise<T>, mayBeMissing: boolean): Promise<T | null> {
  return read().catch((error) => (isForbidden(error) || (mayBeMissing && isMissing(error)) ? null : Promise.reject(error)));
}

/** The set-up fields as the mapper wants them; both were normalised when the account was connected. */
export function mappingOptions(credentials: Credentials): MappingOptions {
  const guard = credentials.guard_enabled;
  return { site: credentials.site || null, guard: guard === 'true' ? true : guard === 'false' ? false : null };
}

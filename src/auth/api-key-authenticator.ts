import { Inject, Injectable, Logger } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import type { Request } from 'express';
import { HubError } from '../common/errors';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { ApiKeyRow, ApiKeysRepository } from '../store/api-keys.repository';
import { bearerToken, digestMatchesKey, sha256 } from './api-key';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { principalOf, rememberPrincipal } from './caller.decorator';
import { KeyRevocations } from './cluster/key-revocations';
import { KEY_MARK } from './key-material';
import { KeyScope, Principal, ROOT_PRINCIPAL } from './principal';

/**
 * How long a looked-up key is reused. Every request authenticates, and this saves the indexed read
 * for a busy key. Revoking a key drops it at once here and, in cluster mode, on every other replica
 * (KeyRevocations); the lifetime also bounds how long a row changed behind the hub's back is reused.
 */
const CACHE_MS = 5_000;
const CACHE_ENTRIES = 10_000;
/** last_used_at is written at most this often per key: a write per request would cost more than the request. */
export const LAST_USED_EVERY_MS = 60_000;

/** The one message for a missing, wrong, unknown or revoked key: it never says whether a key existed. */
export const WRONG_KEY_MESSAGE = 'Missing or wrong API key: send Authorization: Bearer <HUB_API_KEY or a key from POST /api-keys>';

/**
 * Who a request is. Used by the guard and by the HTTP middleware in bootstrap.ts (docs, and any
 * check made before the body parser); the first to ask does the work and the request remembers the
 * answer, so the presented key is hashed once per request. Expiry is checked on every use, cached
 * or not.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger('ApiKeys');
  private readonly byHash = new Map<string, { row: ApiKeyRow; at: number }>();
  /** When this process last wrote each key's last_used_at (or read it, whichever is later). */
  private readonly lastUsed = new Map<string, number>();
  /**
   * Bumped by every revocation: a lookup that started before one does not cache its row, or a
   * read racing the revocation could put the revoked key back into the cache.
   */
  private generation = 0;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly keys: ApiKeysRepository,
    private readonly failures: AuthFailureLimiter,
    private readonly revocations: KeyRevocations,
  ) {
    revocations.onRevoked((keyId) => (keyId === null ? this.forgetAll() : this.forgetId(keyId)));
  }

  async authenticate(req: Request): Promise<Principal> {
    const known = principalOf(req);
    if (known) return known;
    const address = clientAddress(req);
    const token = bearerToken(req.headers.authorization);
    if (token === null) throw new HubError('UNAUTHORIZED', WRONG_KEY_MESSAGE);
    const digest = sha256(token);
    const principal = digestMatchesKey(digest, this.config.apiKey)
      ? ROOT_PRINCIPAL
      : await this.storedKey(token.startsWith(KEY_MARK) ? digest.toString('hex') : null, address);
    rememberPrincipal(req, principal);
    return principal;
  }

  /** Forgets a revoked key at once (called after its row is marked revoked). */
  forget(row: ApiKeyRow): void {
    this.generation++;
    this.byHash.delete(row.key_hash);
    this.lastUsed.delete(row.id);
  }

  /** Forgets a key revoked on another replica, known by its id only. */
  private forgetId(keyId: string): void {
    this.generation++;
    for (const [hash, entry] of this.byHash) if (entry.row.id === keyId) this.byHash.delete(hash);
    this.lastUsed.delete(keyId);
  }

  /** Forgets every cached key (revocations may have been missed while not subscribed). */
  private forgetAll(): void {
    this.generation++;
    this.byHash.clear();
  }

  private async storedKey(keyHash: string | null, address: string): Promise<Principal> {
    const row = keyHash === null ? undefined : await this.lookup(keyHash);
    if (!row || row.revoked_at !== null) {
      // Only failures are limited: a valid key always gets in, so one client guessing (or many
      // clients behind one address, one of them misconfigured) cannot lock the others out.
      this.failures.assertNotLockedOut(address);
      await this.failures.recordFailure(address);
      throw new HubError('UNAUTHORIZED', WRONG_KEY_MESSAGE);
    }
    if (row.expires_at !== null && Date.parse(row.expires_at) <= Date.now()) {
      throw new HubError('API_KEY_EXPIRED', `This API key expired at ${row.expires_at}; create a new one with POST /api-keys`);
    }
    await this.noteUse(row);
    return { id: row.id, root: false, scope: row.scope as KeyScope, tenantId: row.tenant_id };
  }

  private async lookup(keyHash: string): Promise<ApiKeyRow | undefined> {
    // Not trusted (a replica that cannot hear revocations): read the row on every request.
    const trusted = this.revocations.cacheTrusted;
    const cached = trusted ? this.byHash.get(keyHash) : undefined;
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.row;
    const generation = this.generation;
    const row = await this.keys.findByHash(keyHash);
    // Misses are not cached: a guesser would only fill the cache (the failure limit bounds their reads).
    if (trusted && row && row.revoked_at === null && generation === this.generation) {
      if (this.byHash.size >= CACHE_ENTRIES) this.byHash.delete(this.byHash.keys().next().value!);
      this.byHash.set(keyHash, { row, at: Date.now() });
    } else {
      this.byHash.delete(keyHash);
    }
    return row;
  }

  private async noteUse(row: ApiKeyRow): Promise<void> {
    const now = Date.now();
    const stored = row.last_used_at === null ? 0 : Date.parse(row.last_used_at);
    const last = Math.max(this.lastUsed.get(row.id) ?? 0, stored);
    if (now - last < LAST_USED_EVERY_MS) return;
    // Set before writing, so concurrent requests of the same key write once.
    this.lastUsed.set(row.id, now);
    try {
      await this.keys.touch(row.id, new Date(now).toISOString());
    } catch (error) {
      // Bookkeeping only: a failed write must not fail the request it describes.
      this.logger.warn(`Could not record the last use of API key ${row.id}: ${(error as Error).message}`);
    }
  }
}

/**
 * The client's address as Express sees it (the socket's, unless `trust proxy` is configured). IPv6
 * addresses count by their /64, as the throttler does: one host usually holds a whole /64 and could
 * otherwise change address for every guess.
 */
function clientAddress(req: Request): string {
  const ip = req.ip ?? req.socket?.remoteAddress;
  return ip ? normalizeIp(ip) : 'unknown';
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import type { Request } from 'express';
import { HubError } from '../common/errors';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { ApiKeyRow, ApiKeysRepository } from '../store/api-keys.repository';
import { BrowserSessionRow, BrowserSessionsRepository } from '../store/browser-sessions.repository';
import { ConnectSessionsRepository } from '../store/connect-sessions.repository';
import { bearerToken, digestMatchesKey, sha256 } from './api-key';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { principalOf, rememberPrincipal } from './caller.decorator';
import { KeyRevocations } from './cluster/key-revocations';
import { CONNECT_MARK, isConnectRoute } from './connect-token';
import { KEY_MARK } from './key-material';
import { KeyScope, Principal, ROOT_PRINCIPAL } from './principal';
import { rememberSession } from './request-session';
import { csrfTokenMatches, CSRF_HEADER, readCookie, SESSION_COOKIE } from './session-cookie';

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
/** A session cookie that no longer works: it never says why (expired, signed out, key revoked). */
export const SESSION_ENDED_MESSAGE = 'Your browser session has ended (it expired, you signed out, or its API key was revoked): sign in again with POST /session';

/** Methods a cookie-authenticated request may send without the CSRF header: they change nothing. */
const CSRF_SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who a request is. Used by the guard and by the HTTP middleware in bootstrap.ts (docs, and any
 * check made before the body parser); the first to ask does the work and the request remembers the
 * answer, so the presented key is hashed once per request. Expiry is checked on every use, cached
 * or not.
 *
 * Three ways in, each ending at the same principal: `Authorization: Bearer <key>` (wins when
 * present); the browser session cookie, which names a key that is read (revoked? expired?) on every
 * request, uncached, so ending the key ends its sessions at once on every replica, and whose writes
 * need the session's CSRF header; and a connect-link token (hubcs_…), confined to the
 * /connect-sessions/current routes.
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
    private readonly sessions: BrowserSessionsRepository,
    private readonly connectSessions: ConnectSessionsRepository,
    private readonly revocations: KeyRevocations,
  ) {
    revocations.onRevoked((keyId) => (keyId === null ? this.forgetAll() : this.forgetId(keyId)));
  }

  async authenticate(req: Request): Promise<Principal> {
    const known = principalOf(req);
    if (known) return known;
    const address = clientAddress(req);
    const token = bearerToken(req.headers.authorization);
    let principal: Principal;
    if (token !== null) {
      principal = token.startsWith(CONNECT_MARK) ? await this.connectToken(token, req, address) : await this.principalForKey(token, address);
    } else {
      const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (cookie === null) throw new HubError('UNAUTHORIZED', WRONG_KEY_MESSAGE);
      const session = await this.session(cookie, address);
      if (!CSRF_SAFE_METHODS.has(req.method) && !csrfTokenMatches(cookie, req.headers[CSRF_HEADER])) {
        throw new HubError(
          'CSRF_TOKEN_INVALID',
          `${req.method} through the browser session needs the header X-CSRF-Token with this session's csrf_token (from POST /session or GET /session); it is missing or wrong`,
        );
      }
      rememberSession(req, { row: session.row, token: cookie });
      principal = session.principal;
    }
    rememberPrincipal(req, principal);
    return principal;
  }

  /** The principal of an API key as sent (bearer header, or the body of POST /session); failures count against the address. */
  async principalForKey(token: string, address: string): Promise<Principal> {
    const digest = sha256(token);
    if (digestMatchesKey(digest, this.config.apiKey)) return ROOT_PRINCIPAL;
    return this.storedKey(token.startsWith(KEY_MARK) ? digest.toString('hex') : null, address);
  }

  /**
   * The browser session of a cookie value and the principal of its key, or 401 (the same answer
   * whether the session never existed, expired, or its key is gone). The key is read each time.
   */
  async session(cookie: string, address: string): Promise<{ row: BrowserSessionRow; principal: Principal }> {
    const row = await this.sessions.findByHash(sha256(cookie).toString('hex'));
    const ended = async (): Promise<never> => {
      this.failures.assertNotLockedOut(address);
      await this.failures.recordFailure(address);
      throw new HubError('UNAUTHORIZED', SESSION_ENDED_MESSAGE);
    };
    if (!row || Date.parse(row.expires_at) <= Date.now()) return ended();
    if (row.key_id === ROOT_PRINCIPAL.id) {
      // Signed in with the root key: valid only while HUB_API_KEY is still that key.
      if (row.root_key_hash !== sha256(this.config.apiKey).toString('hex')) return ended();
      return { row, principal: ROOT_PRINCIPAL };
    }
    const key = await this.keys.findById(row.key_id);
    if (!key || key.revoked_at !== null) return ended();
    return { row, principal: await this.usable(key) };
  }

  /**
   * A connect-link token: only on the /connect-sessions/current routes (403 elsewhere, before any
   * lookup), then 404 unknown, 410 used, 410 expired, so the page can say which.
   */
  private async connectToken(token: string, req: Request, address: string): Promise<Principal> {
    if (!isConnectRoute(req.method, req.path)) {
      throw new HubError(
        'CONNECT_SESSION_SCOPE',
        `A connect-link token may only call GET /connect-sessions/current, POST /connect-sessions/current/test and POST /connect-sessions/current/accounts, not ${req.method} ${req.path}`,
      );
    }
    const row = await this.connectSessions.findByHash(sha256(token).toString('hex'));
    if (!row) {
      this.failures.assertNotLockedOut(address);
      await this.failures.recordFailure(address);
      throw new HubError('CONNECT_SESSION_NOT_FOUND', 'This connect link is not known: ask whoever sent it for a new one');
    }
    if (row.used_at !== null) {
      throw new HubError('CONNECT_SESSION_USED', 'This connect link has been used already: an account was connected with it. Ask whoever sent it for a new one to connect another');
    }
    if (row.revoked_at !== null) {
      throw new HubError('CONNECT_SESSION_EXPIRED', `This connect link was withdrawn at ${row.revoked_at}: ask whoever sent it for a new one`);
    }
    if (Date.parse(row.expires_at) <= Date.now()) {
      throw new HubError('CONNECT_SESSION_EXPIRED', `This connect link expired at ${row.expires_at}: ask whoever sent it for a new one`);
    }
    const integrations = row.integrations === null ? null : (JSON.parse(row.integrations) as string[]);
    return { id: `connect_session:${row.id}`, root: false, scope: 'admin', tenantId: row.tenant_id, connect: { sessionId: row.id, integrations, expiresAt: row.expires_at } };
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
    return this.usable(row);
  }

  /** A stored key that is not revoked: refused once expired, else its principal (its use noted). */
  private async usable(row: ApiKeyRow): Promise<Principal> {
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
export function clientAddress(req: Request): string {
  const ip = req.ip ?? req.socket?.remoteAddress;
  return ip ? normalizeIp(ip) : 'unknown';
}

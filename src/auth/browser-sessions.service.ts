import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HubError } from '../common/errors';
import { sortableId } from '../common/ids';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { ApiKeysRepository } from '../store/api-keys.repository';
import { BrowserSessionRow, BrowserSessionsRepository } from '../store/browser-sessions.repository';
import { sha256 } from './api-key';
import { ApiKeyAuthenticator, clientAddress } from './api-key-authenticator';
import { rememberPrincipal } from './caller.decorator';
import { CONNECT_MARK } from './connect-token';
import type { Principal } from './principal';
import { sessionOf } from './request-session';
import { csrfTokenFor, newSessionToken, readCookie, SESSION_COOKIE } from './session-cookie';
import type { SessionView } from './session.dto';

/** Live browser sessions one key may have; signing in beyond that ends its oldest. */
export const MAX_SESSIONS_PER_KEY = 50;

/**
 * Browser sessions: signing in with an API key sets an HttpOnly cookie that stands for that key
 * (ApiKeyAuthenticator resolves it on each request); signing out deletes the row and the cookie.
 */
@Injectable()
export class BrowserSessionsService {
  private readonly logger = new Logger('Sessions');

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly sessions: BrowserSessionsRepository,
    private readonly keys: ApiKeysRepository,
  ) {}

  /** Checks the key exactly as a bearer header is checked (failures counted), then opens a session for it. */
  async signIn(apiKey: string, req: Request, res: Response): Promise<SessionView> {
    const address = clientAddress(req);
    // A connect-link token is not an API key: refused with the answer of any wrong key.
    const principal = apiKey.startsWith(CONNECT_MARK)
      ? await this.authenticator.principalForKey('', address)
      : await this.authenticator.principalForKey(apiKey.trim(), address);
    rememberPrincipal(req, principal);
    // A cookie already there (another sign-in in this browser) is replaced: its session ends.
    const previous = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (previous !== null) await this.endByToken(previous);

    const now = Date.now();
    const key = principal.root ? null : await this.keys.findById(principal.id);
    const keyEnd = key?.expires_at ? Date.parse(key.expires_at) : Infinity;
    const token = newSessionToken();
    const row: BrowserSessionRow = {
      id: sortableId(now),
      token_hash: sha256(token).toString('hex'),
      key_id: principal.id,
      root_key_hash: principal.root ? sha256(this.config.apiKey).toString('hex') : null,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(Math.min(now + this.config.sessionTtlMs, keyEnd)).toISOString(),
    };
    await this.sessions.deleteExpired(row.created_at);
    await this.sessions.insert(row);
    // Signing in again and again with one key (a script, a leaked key) must not grow the table
    // without bound: beyond MAX_SESSIONS_PER_KEY the oldest sessions of the key end.
    await this.sessions.keepNewestForKey(row.key_id, MAX_SESSIONS_PER_KEY);
    this.logger.log(`browser session ${row.id} opened for key ${principal.id}, until ${row.expires_at}`);
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      // req.secure believes X-Forwarded-Proto only when HUB_TRUST_PROXY says who may set it.
      secure: req.secure,
      maxAge: Date.parse(row.expires_at) - now,
    });
    return this.view(principal, key?.name ?? principal.id, token, row);
  }

  /** The session of the request's cookie (GET /session), or 401 UNAUTHENTICATED. */
  async current(req: Request): Promise<SessionView> {
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (cookie === null) throw new HubError('UNAUTHENTICATED', 'No browser session: sign in with POST /session {"api_key": "…"}');
    let session: Awaited<ReturnType<ApiKeyAuthenticator['session']>>;
    try {
      session = await this.authenticator.session(cookie, clientAddress(req));
    } catch (error) {
      if (error instanceof HubError && error.code === 'UNAUTHORIZED') throw new HubError('UNAUTHENTICATED', error.message);
      throw error;
    }
    rememberPrincipal(req, session.principal);
    const name = session.principal.root ? 'root' : (await this.keys.findById(session.principal.id))?.name ?? session.principal.id;
    return this.view(session.principal, name, cookie, session.row);
  }

  /** Ends the request's session (if it came with one) and clears the cookie either way. */
  async signOut(req: Request, res: Response): Promise<void> {
    const cookie = sessionOf(req)?.token ?? readCookie(req.headers.cookie, SESSION_COOKIE);
    if (cookie !== null) await this.endByToken(cookie);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
  }

  private async endByToken(token: string): Promise<void> {
    const row = await this.sessions.findByHash(sha256(token).toString('hex'));
    if (!row) return;
    await this.sessions.delete(row.id);
    this.logger.log(`browser session ${row.id} ended`);
  }

  private view(principal: Principal, name: string, token: string, row: BrowserSessionRow): SessionView {
    return {
      key: { id: principal.id, name: principal.root ? 'root' : name, scope: principal.scope, tenant_id: principal.tenantId },
      csrf_token: csrfTokenFor(token),
      expires_at: row.expires_at,
    };
  }
}

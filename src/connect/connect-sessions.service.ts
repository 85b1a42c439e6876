import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { AccountsService } from '../accounts/accounts.service';
import { sha256 } from '../auth/api-key';
import { newConnectToken } from '../auth/connect-token';
import type { Principal } from '../auth/principal';
import { tenantForNew } from '../auth/tenant-assignment';
import { HubError } from '../common/errors';
import { publicBase } from '../common/public-url';
import { HUB_CONFIG } from '../config/config.token';
import type { HubConfig } from '../config/hub-config';
import { sortableId } from '../common/ids';
import { ConnectorRegistry } from '../integrations/connector.registry';
import { toIntegrationView } from '../integrations/integrations.dto';
import { CursorCodec } from '../common/cursor-codec';
import { Page, pageLimit } from '../common/list-query.dto';
import { ConnectSessionRow, ConnectSessionsRepository } from '../store/connect-sessions.repository';
import {
  ConnectAccountDto,
  ConnectSessionListItem,
  ConnectedAccountView,
  ConnectSessionView,
  ConnectTestView,
  CreateConnectSessionDto,
  CurrentConnectSessionView,
  DEFAULT_EXPIRES_IN,
} from './connect-sessions.dto';

type ConnectPrincipal = Principal & { connect: NonNullable<Principal['connect']>; tenantId: string };

/**
 * Connect links: an admin creates one for a tenant; the end customer's page, holding only its token,
 * may read which integrations it allows, test credentials and create one account in that tenant.
 * ApiKeyAuthenticator keeps the token to these routes and answers unknown, used and expired links.
 */
@Injectable()
export class ConnectSessionsService {
  private readonly logger = new Logger('ConnectSessions');

  constructor(
    private readonly sessions: ConnectSessionsRepository,
    private readonly accounts: AccountsService,
    private readonly registry: ConnectorRegistry,
    private readonly cursors: CursorCodec,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async create(dto: CreateConnectSessionDto, caller: Principal, req: Request): Promise<ConnectSessionView> {
    const tenantId = tenantForLink(dto.tenant_id, caller);
    const integrations = [...new Set(dto.integrations ?? this.registry.list().map((c) => c.entry.id))];
    for (const id of integrations) this.registry.get(id); // 400 UNKNOWN_INTEGRATION naming the known ones
    const token = newConnectToken();
    const now = Date.now();
    const row = {
      id: sortableId(now),
      token_hash: sha256(token).toString('hex'),
      tenant_id: tenantId,
      integrations: JSON.stringify(integrations),
      created_by_key_id: caller.id,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + (dto.expires_in ?? DEFAULT_EXPIRES_IN) * 1000).toISOString(),
      used_at: null,
      account_id: null,
      revoked_at: null,
    };
    await this.sessions.insert(row);
    this.logger.log(`connect link ${row.id} created for tenant ${tenantId} (${integrations.join(', ')}), until ${row.expires_at}`);
    return { id: row.id, token, url: `${publicBase(this.config.publicUrl, req)}/#/connect/${token}`, expires_at: row.expires_at, tenant_id: tenantId, integrations };
  }

  /** The links `viewer` may see (a tenant key: its tenant's), oldest first; the token is never shown again. */
  async list(requestedLimit: number | undefined, cursor: string | undefined, viewer: Principal): Promise<Page<ConnectSessionListItem>> {
    const position = cursor ? this.cursors.decode(cursor, { account: '*', resource: 'connect-sessions', tenant: viewer.tenantId }) : null;
    const limit = pageLimit(requestedLimit, position);
    const rows = await this.sessions.page(viewer.tenantId, position?.k ?? null, limit);
    const page = rows.slice(0, limit);
    const now = Date.now();
    return {
      result: page.map((row) => toListItem(row, now)),
      next_cursor: rows.length > limit ? this.cursors.encode({ a: '*', r: 'connect-sessions', t: viewer.tenantId, k: page[page.length - 1]!.id, l: limit }) : null,
      result_count: page.length,
    };
  }

  /**
   * Withdraws a link not used yet: its token is refused from the next request on (410, as an expired
   * link). Another tenant's link is 404 like a missing one; a used or ended link is 409.
   */
  async revoke(id: string, viewer: Principal): Promise<ConnectSessionListItem> {
    const row = await this.sessions.findById(id);
    if (!row || (viewer.tenantId !== null && row.tenant_id !== viewer.tenantId)) {
      throw new HubError('CONNECT_SESSION_NOT_FOUND', `No connect link "${id}" that this key may see; list them with GET /connect-sessions`);
    }
    const now = new Date().toISOString();
    if (!(await this.sessions.revoke(id, now))) {
      const status = toListItem(row, Date.now()).status;
      throw new HubError('CONNECT_SESSION_ENDED', `The connect link ${id} is ${status} already: there is nothing to withdraw`, { details: { status } });
    }
    this.logger.log(`connect link ${id} of tenant ${row.tenant_id} withdrawn`);
    return toListItem({ ...row, revoked_at: now, expires_at: now }, Date.now());
  }

  current(caller: Principal): CurrentConnectSessionView {
    const link = connectOf(caller);
    const allowed = this.registry.list().filter((c) => isAllowed(link, c.entry.id));
    return { tenant_id: link.tenantId, expires_at: link.connect.expiresAt, integrations: allowed.map(toIntegrationView) };
  }

  async test(dto: { integration: string; credentials: unknown }, caller: Principal): Promise<ConnectTestView> {
    assertAllowed(connectOf(caller), dto.integration);
    return { ok: true, ...(await this.accounts.testCredentials(dto.integration, dto.credentials)) };
  }

  /**
   * Creates the link's one account, in the link's tenant. The link is claimed first (one caller wins
   * however many race; the others get 410 USED); a creation that fails gives the claim back, so a
   * mistyped token does not burn the link.
   */
  async connect(dto: ConnectAccountDto, caller: Principal): Promise<ConnectedAccountView> {
    const link = connectOf(caller);
    assertAllowed(link, dto.integration);
    const sessionId = link.connect.sessionId;
    if (!(await this.sessions.claim(sessionId, new Date().toISOString()))) {
      const expired = Date.parse(link.connect.expiresAt) <= Date.now();
      throw expired
        ? new HubError('CONNECT_SESSION_EXPIRED', `This connect link expired at ${link.connect.expiresAt}: ask whoever sent it for a new one`)
        : new HubError('CONNECT_SESSION_USED', 'This connect link has been used already: an account was connected with it. Ask whoever sent it for a new one to connect another');
    }
    let row;
    try {
      row = await this.accounts.create(
        { integration: dto.integration, name: dto.name, credentials: dto.credentials, tenant_id: link.tenantId, allow_duplicate: false },
        { tenantId: link.tenantId },
      );
    } catch (error) {
      await this.sessions.release(sessionId);
      if (error instanceof HubError && error.code === 'ACCOUNT_ALREADY_CONNECTED') {
        // Said without the existing account's id: the link's holder sees nothing else of the hub.
        throw new HubError('ACCOUNT_ALREADY_CONNECTED', `This ${dto.integration} organization is connected already; nothing more to do`);
      }
      throw error;
    }
    await this.sessions.recordAccount(sessionId, row.id);
    this.logger.log(`connect link ${sessionId} used: account ${row.id} in tenant ${link.tenantId}`);
    return { id: row.id, integration: row.integration, name: row.name, tenant_id: link.tenantId, status: row.status };
  }
}

function toListItem(row: ConnectSessionRow, now: number): ConnectSessionListItem {
  const status = row.revoked_at !== null ? 'revoked' : row.account_id !== null ? 'used' : Date.parse(row.expires_at) <= now ? 'expired' : 'active';
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    integrations: row.integrations === null ? null : (JSON.parse(row.integrations) as string[]),
    status,
    created_by_key_id: row.created_by_key_id,
    created_at: row.created_at,
    expires_at: row.expires_at,
    account_id: row.account_id,
  };
}

/** The connect link a request came with; these routes refuse an API key or a browser session. */
function connectOf(caller: Principal): ConnectPrincipal {
  if (!caller.connect || caller.tenantId === null) {
    throw new HubError('CONNECT_SESSION_SCOPE', 'This route takes a connect-link token (Authorization: Bearer hubcs_…), not an API key; create a link with POST /connect-sessions');
  }
  return caller as ConnectPrincipal;
}

function isAllowed(link: ConnectPrincipal, integration: string): boolean {
  return link.connect.integrations === null || link.connect.integrations.includes(integration);
}

function assertAllowed(link: ConnectPrincipal, integration: string): void {
  if (isAllowed(link, integration)) return;
  throw new HubError('INTEGRATION_NOT_ALLOWED', `This connect link allows only ${link.connect.integrations!.join(', ')}, not "${integration}"`, {
    details: { allowed: link.connect.integrations },
  });
}

/**
 * The tenant of a new link, by the rule of every tenant-owned thing (tenantForNew: a tenant key's
 * own, another is 403); a key without tenant must name one, since a link is for a customer.
 */
function tenantForLink(requested: string | undefined, caller: Principal): string {
  const tenantId = tenantForNew(requested, caller, 'creates connect links');
  if (tenantId === null) {
    throw new HubError('VALIDATION_FAILED', 'tenant_id is required: the tenant the account connected through the link will belong to', { details: { field: 'tenant_id' } });
  }
  return tenantId;
}

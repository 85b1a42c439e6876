import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { NO_TENANT, SYSTEM, tenantToRead, Viewer } from '../auth/principal';
import { tenantForNew } from '../auth/tenant-assignment';
import { CursorCodec } from '../common/cursor-codec';
import { HubError } from '../common/errors';
import { Redactor, withRedaction } from '../common/redaction';
import { sortableId } from '../common/ids';
import { Page, pageLimit } from '../common/list-query.dto';
import type { AuthenticationResult, ConnectorAccount, Credentials, RunScope } from '../connector-kit/connector.contract';
import type { ManifestEntry } from '../integrations/manifest';
import { ConnectorRegistry, RegisteredConnector } from '../integrations/connector.registry';
import { AccountRow, AccountsRepository } from '../store/accounts.repository';
import { DirectoryRepository } from '../store/directory.repository';
import { DEFAULT_INACTIVE_DAYS } from '../seats/seat-rules';
import {
  ACCOUNT_CREATED,
  ACCOUNT_CREDENTIALS_CHANGED,
  ACCOUNT_DELETED,
  ACCOUNT_DELETING,
  ACCOUNT_NEEDS_REAUTH,
  ACCOUNT_REACTIVATED,
  AccountChangedEvent,
  AccountCreatedEvent,
} from './account-events';
import type { AccountView, CreateAccountDto, UpdateAccountDto } from './accounts.dto';
import { CredentialCipher, MissingKeyError } from './credential-cipher';
import { credentialLabels, validateCredentials } from './credentials-validation';

/** Integrated accounts: connect (test, then store encrypted), read, update, delete. */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger('AccountsService');
  private readonly opened = new WeakMap<AccountRow, Credentials>();

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly directory: DirectoryRepository,
    private readonly registry: ConnectorRegistry,
    private readonly cipher: CredentialCipher,
    private readonly cursors: CursorCodec,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * Tests the credentials upstream, stores the account only when they work, then has its first sync
   * started. The account goes to the caller's tenant (a tenant key), or to the one asked for.
   */
  async create(dto: CreateAccountDto, viewer: Viewer): Promise<AccountRow> {
    const tenantId = tenantForNew(dto.tenant_id, viewer, 'connects accounts');
    const { connector, credentials, access } = await this.checkCredentials(dto.integration, dto.credentials);
    if (dto.allow_duplicate !== true) await this.refuseDuplicate(connector.entry.id, access, tenantId);
    const now = new Date().toISOString();
    const id = sortableId();
    const row: AccountRow = {
      id,
      integration: connector.entry.id,
      name: dto.name ?? `${connector.entry.name}${access.organization.name ? ` – ${access.organization.name}` : ''}`,
      status: 'active',
      credentials: this.cipher.seal(JSON.stringify(credentials), id),
      credentials_key_id: this.cipher.currentKeyId,
      access: JSON.stringify(access),
      current_snapshot_id: null,
      last_synced_at: null,
      last_sync_status: null,
      created_at: now,
      updated_at: now,
      tenant_id: tenantId,
    };
    await this.accounts.insert(row);
    this.logger.log(`connected ${row.integration} account ${id} (${access.organization.name ?? access.organization.id})${tenantId === null ? '' : ` in tenant ${tenantId}`}`);
    // Awaited: the first sync is registered before the connect answers (a first read then waits for it).
    await this.events.emitAsync(ACCOUNT_CREATED, { accountId: id } satisfies AccountCreatedEvent);
    return row;
  }

  /**
   * What submitted credentials give access to, stored nowhere: the very checks a connect makes
   * (manifest fields, then the upstream), so a test that passes means the connect would too (but
   * for a duplicate organization, which depends on the tenant).
   */
  async testCredentials(integration: string, credentials: unknown): Promise<{ integration: string; access: AuthenticationResult }> {
    const { connector, access } = await this.checkCredentials(integration, credentials);
    return { integration: connector.entry.id, access };
  }

  /**
   * The one check of submitted credentials, for connect and test: the connector's manifest fields,
   * then the upstream. `credentials` are what to store (the connector may have completed them);
   * `access` never holds them.
   */
  private async checkCredentials(
    integration: string,
    input: unknown,
  ): Promise<{ connector: RegisteredConnector; credentials: Credentials; access: AuthenticationResult }> {
    const connector = this.registry.get(integration);
    const submitted = validateCredentials(connector.entry, input);
    const { credentials = submitted, ...access } = await this.authenticate(connector, submitted);
    return { connector, credentials, access };
  }

  /**
   * Connecting an organization twice is almost always a mistake (a second account syncs the same
   * people again and doubles every count); checked after the credentials are tested, since only the
   * upstream says which organization they open. Few accounts per integration: read and compared here.
   * Within the new account's tenant only: another tenant's accounts are invisible to this one, so
   * the answer must not depend on them (a 409 would reveal that another tenant has the organization).
   */
  private async refuseDuplicate(integration: string, access: AuthenticationResult, tenantId: string | null): Promise<void> {
    const organizationId = access.organization.id;
    for (const other of await this.accounts.accessOf(integration, tenantId)) {
      const otherAccess = JSON.parse(other.access) as AuthenticationResult;
      if (otherAccess.organization?.id !== organizationId) continue;
      throw new HubError(
        'ACCOUNT_ALREADY_CONNECTED',
        `This ${integration} organization (${organizationId}) is connected already as integrated account ${other.id}: ` +
          `PATCH /integrated-accounts/${other.id} to replace its credentials, or send "allow_duplicate": true to connect it again as a second account.`,
        { details: { existing_account_id: other.id, organization_id: organizationId } },
      );
    }
  }

  async update(id: string, dto: UpdateAccountDto, viewer: Viewer): Promise<AccountRow> {
    const row = await this.get(id, viewer);
    const changes: Partial<AccountRow> = { updated_at: new Date().toISOString() };
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.inactive_days !== undefined) changes.inactive_days = dto.inactive_days;
    if (dto.credentials !== undefined) {
      const { credentials, access } = await this.checkCredentials(row.integration, dto.credentials);
      refuseOrganizationChange(row, access);
      Object.assign(changes, {
        credentials: this.cipher.seal(JSON.stringify(credentials), id),
        credentials_key_id: this.cipher.currentKeyId,
        access: JSON.stringify(access),
        status: 'active',
      });
    }
    await this.accounts.update(id, changes);
    if (row.status === 'needs_reauth' && changes.status === 'active') await this.emitChanged(ACCOUNT_REACTIVATED, { ...row, ...changes });
    // New credentials: sync with them now, rather than serve what the old ones read until the next tick.
    if (dto.credentials !== undefined) await this.events.emitAsync(ACCOUNT_CREDENTIALS_CHANGED, { accountId: id } satisfies AccountCreatedEvent);
    return { ...row, ...changes };
  }

  /** Re-tests the stored credentials; a success clears `needs_reauth`. */
  async test(id: string, viewer: Viewer): Promise<{ account: AccountRow; access: AuthenticationResult }> {
    const row = await this.get(id, viewer);
    const connector = this.registry.get(row.integration);
    let access: AuthenticationResult;
    try {
      // Stored credentials are already complete: a test only shows what they give access to.
      const { credentials: _resolved, ...tested } = await this.authenticate(connector, this.credentialsOf(row));
      access = tested;
    } catch (error) {
      if (error instanceof HubError && error.code === 'UPSTREAM_AUTH_FAILED') await this.markNeedsReauth(id);
      throw error;
    }
    const changes = { status: 'active', access: JSON.stringify(access), updated_at: new Date().toISOString() };
    await this.accounts.update(id, changes);
    if (row.status === 'needs_reauth') await this.emitChanged(ACCOUNT_REACTIVATED, { ...row, ...changes });
    return { account: { ...row, ...changes }, access };
  }

  async markNeedsReauth(id: string): Promise<void> {
    const row = await this.get(id, SYSTEM);
    await this.accounts.update(id, { status: 'needs_reauth', updated_at: new Date().toISOString() });
    if (row.status !== 'needs_reauth') await this.emitChanged(ACCOUNT_NEEDS_REAUTH, { ...row, status: 'needs_reauth' });
  }

  /** Awaited, so what listeners write (the webhook outbox) is stored before the request answers. */
  private async emitChanged(event: string, row: AccountRow): Promise<void> {
    await this.events.emitAsync(event, { accountId: row.id, integration: row.integration, name: row.name, status: row.status } satisfies AccountChangedEvent);
  }

  /**
   * The account, if `viewer` may see it. An account of another tenant gets the very answer of an id
   * that does not exist (OWASP API1): a tenant key cannot tell the two apart.
   */
  async get(id: string, viewer: Viewer): Promise<AccountRow> {
    const row = await this.accounts.findById(id);
    if (!row || !isVisible(row, viewer)) {
      throw new HubError('ACCOUNT_NOT_FOUND', `No integrated account with id "${id}"; list them with GET /integrated-accounts`);
    }
    return row;
  }

  /**
   * A page of the accounts `viewer` sees, of one tenant when `tenantFilter` is given. The cursor is
   * signed with the viewer's tenant and the filter, so it is refused for another tenant's key.
   */
  async list(requestedLimit: number | undefined, cursor: string | undefined, viewer: Viewer, tenantFilter?: string): Promise<Page<AccountView>> {
    const resource = tenantFilter === undefined ? 'integrated-accounts' : `integrated-accounts?tenant_id=${tenantFilter}`;
    const bound = { account: '*', resource, tenant: viewer.tenantId };
    const position = cursor ? this.cursors.decode(cursor, bound) : null;
    const after = position?.k ?? null;
    const limit = pageLimit(requestedLimit, position);
    const tenant = tenantToRead(viewer, tenantFilter);
    if (tenant === NO_TENANT) return { result: [], next_cursor: null, result_count: 0 };
    const rows = await this.accounts.page(after, limit, tenant);
    const page = rows.slice(0, limit);
    const more = rows.length > limit;
    return {
      result: page.map(toAccountView),
      next_cursor: more ? this.cursors.encode({ a: '*', r: resource, t: viewer.tenantId, k: page[page.length - 1]!.id, l: limit }) : null,
      result_count: page.length,
    };
  }

  async delete(id: string, viewer: Viewer): Promise<void> {
    const row = await this.get(id, viewer);
    await this.emitChanged(ACCOUNT_DELETING, row);
    await this.accounts.delete(id);
    if (row.current_snapshot_id) await this.directory.deleteSnapshot(row.current_snapshot_id);
    this.logger.log(`deleted account ${id}`);
    await this.emitChanged(ACCOUNT_DELETED, { ...row, status: 'deleted' });
  }

  /** The account's connector, without opening its credentials. */
  connectorOf(row: AccountRow): RegisteredConnector {
    return this.registry.get(row.integration);
  }

  /** What a connector needs to work for this account; decrypts the credentials. */
  connectorAccount(row: AccountRow, run?: RunScope): { connector: RegisteredConnector; account: ConnectorAccount } {
    const connector = this.registry.get(row.integration);
    return { connector, account: { id: row.id, credentials: this.credentialsOf(row), baseUrl: connector.baseUrl, run } };
  }

  /**
   * Runs `work` with the account's connector in the account's redaction scope: upstream text and log
   * lines made inside, and any error leaving it, have the account's credentials removed (see
   * Redactor). Every read the hub makes for an account (sync, live read) goes through here.
   */
  withConnector<T>(row: AccountRow, run: RunScope | undefined, work: (connector: RegisteredConnector, account: ConnectorAccount) => Promise<T>): Promise<T> {
    const { connector, account } = this.connectorAccount(row, run);
    return withRedaction(redactorFor(connector.entry, account.credentials), () => work(connector, account));
  }

  /**
   * Decrypted once per row object: the repository hands out the same row for a second, so a burst
   * of proxied requests decrypts once, and the plaintext lives no longer than that row.
   */
  private credentialsOf(row: AccountRow): Credentials {
    let credentials = this.opened.get(row);
    if (!credentials) {
      credentials = Object.freeze(JSON.parse(this.openSealed(row)) as Credentials);
      this.opened.set(row, credentials);
    }
    return credentials;
  }

  /**
   * The boot check makes this rare: another replica re-sealed with a key this process lacks (a
   * rotation rolled out in the wrong order). Said plainly instead of a bare 500.
   */
  private openSealed(row: AccountRow): string {
    try {
      return this.cipher.open(row.credentials, row.id);
    } catch (error) {
      if (!(error instanceof MissingKeyError)) throw error;
      throw new HubError(
        'ENCRYPTION_KEY_MISSING',
        `The credentials of integrated account ${row.id} are sealed with encryption key id ${error.kid}, which this hub process is not configured with: ` +
          'give every replica that key (HUB_ENCRYPTION_KEY or HUB_ENCRYPTION_KEYS_PREVIOUS) and restart it.',
        { details: { key_id: error.kid } },
      );
    }
  }

  /** Tests credentials (submitted or stored) in their redaction scope, like every upstream call. */
  private authenticate(connector: RegisteredConnector, credentials: Credentials): Promise<AuthenticationResult> {
    return withRedaction(redactorFor(connector.entry, credentials), () => this.tryCredentials(connector, credentials));
  }

  private async tryCredentials(connector: RegisteredConnector, credentials: Credentials): Promise<AuthenticationResult> {
    try {
      return await connector.implementation.authenticate(credentials, connector.baseUrl);
    } catch (error) {
      if (error instanceof HubError && error.code === 'UPSTREAM_AUTH_FAILED') {
        const hint = typeof error.details?.hint === 'string' ? ` ${error.details.hint}` : '';
        throw new HubError(
          'UPSTREAM_AUTH_FAILED',
          `${connector.entry.name} rejected these credentials: check the ${credentialLabels(connector.entry)} ` +
            `(copied in full, no extra spaces) and that API access is enabled for the organization.${hint}`,
          { details: error.details },
        );
      }
      throw error;
    }
  }
}

/** Redacts every credential value of an account; the manifest's secret fields also by any piece. */
export function redactorFor(entry: ManifestEntry, credentials: Credentials): Redactor {
  return Redactor.forCredentials(credentials, entry.credentials.filter((f) => f.secret).map((f) => f.name));
}

/** The public shape of an account: never any credential. */
export function toAccountView(row: AccountRow): AccountView {
  return {
    id: row.id,
    integration: row.integration,
    name: row.name,
    tenant_id: row.tenant_id ?? null,
    status: row.status,
    access: JSON.parse(row.access),
    last_synced_at: row.last_synced_at,
    last_sync_status: row.last_sync_status,
    created_at: row.created_at,
    updated_at: row.updated_at,
    inactive_days: row.inactive_days ?? DEFAULT_INACTIVE_DAYS,
  };
}

/**
 * New credentials must open the organization the account already holds: an account moved to
 * another organization would serve one organization's people under the other's history (its change
 * feed, its seat prices). Another organization is a new account.
 */
function refuseOrganizationChange(row: AccountRow, access: AuthenticationResult): void {
  const before = (JSON.parse(row.access) as AuthenticationResult).organization?.id;
  if (before === undefined || before === access.organization.id) return;
  throw new HubError(
    'ACCOUNT_ORGANIZATION_MISMATCH',
    `These credentials open the ${row.integration} organization ${access.organization.id}, but integrated account ${row.id} holds ` +
      `organization ${before}: connect the other organization as a new account (POST /integrated-accounts).`,
    { details: { organization_id: access.organization.id, account_organization_id: before } },
  );
}

/** Whether `viewer` may see the account: an untenanted viewer sees every account, a tenant key its tenant's. */
export function isVisible(row: AccountRow, viewer: Viewer): boolean {
  return viewer.tenantId === null || row.tenant_id === viewer.tenantId;
}


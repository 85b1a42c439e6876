import { Injectable, Logger } from '@nestjs/common';
import { CursorCodec } from '../common/cursor-codec';
import { HubError } from '../common/errors';
import { sortableId } from '../common/ids';
import { Page, pageLimit } from '../common/list-query.dto';
import { ApiKeyRow, ApiKeysRepository } from '../store/api-keys.repository';
import { BrowserSessionsRepository } from '../store/browser-sessions.repository';
import { sha256 } from './api-key';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './api-keys.dto';
import { displayPrefix, generateKey } from './key-material';

/** Issuing, listing and revoking stored API keys. The key itself leaves only in create()'s answer. */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger('ApiKeys');

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly cursors: CursorCodec,
    private readonly sessions: BrowserSessionsRepository,
  ) {}

  async create(dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    const key = generateKey();
    const row: ApiKeyRow = {
      id: sortableId(),
      name: dto.name,
      scope: dto.scope,
      tenant_id: dto.tenant_id ?? null,
      prefix: displayPrefix(key),
      key_hash: sha256(key).toString('hex'),
      created_at: new Date().toISOString(),
      expires_at: dto.expires_at === undefined ? null : new Date(dto.expires_at).toISOString(),
      last_used_at: null,
      revoked_at: null,
    };
    await this.keys.insert(row);
    this.logger.log(`API key ${row.id} created (scope ${row.scope}${row.tenant_id ? `, tenant ${row.tenant_id}` : ''}${row.expires_at ? `, expires ${row.expires_at}` : ''})`);
    return { ...toApiKeyView(row), key };
  }

  async list(requestedLimit: number | undefined, cursor?: string): Promise<Page<ApiKeyView>> {
    const position = cursor ? this.cursors.decode(cursor, { account: '*', resource: 'api-keys' }) : null;
    const after = position?.k ?? null;
    const limit = pageLimit(requestedLimit, position);
    const rows = await this.keys.pageActive(after, limit);
    const page = rows.slice(0, limit);
    return {
      result: page.map(toApiKeyView),
      next_cursor: rows.length > limit ? this.cursors.encode({ a: '*', r: 'api-keys', k: page[page.length - 1]!.id, l: limit }) : null,
      result_count: page.length,
    };
  }

  async get(id: string): Promise<ApiKeyView> {
    const row = await this.keys.findActive(id);
    if (!row) throw notFound(id);
    return toApiKeyView(row);
  }

  /** Revokes the key: refused from the next request on (this process forgets it at once). */
  async revoke(id: string): Promise<void> {
    const row = await this.keys.revoke(id, new Date().toISOString());
    if (!row) throw notFound(id);
    this.authenticator.forget(row);
    // Refused from the next request anyway (every session request reads its key); this drops the rows.
    const ended = await this.sessions.deleteForKey(id);
    this.logger.log(`API key ${id} revoked${ended ? ` (${ended} browser session(s) ended)` : ''}`);
  }
}

export function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope as ApiKeyView['scope'],
    tenant_id: row.tenant_id,
    prefix: row.prefix,
    created_at: row.created_at,
    expires_at: row.expires_at,
    last_used_at: row.last_used_at,
  };
}

function notFound(id: string): HubError {
  return new HubError('API_KEY_NOT_FOUND', `No API key with id "${id}" (or it was revoked); list them with GET /api-keys`);
}

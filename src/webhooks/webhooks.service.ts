import { Inject, Injectable, Logger } from '@nestjs/common';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { NO_TENANT, tenantToRead, Viewer } from '../auth/principal';
import { tenantForNew } from '../auth/tenant-assignment';
import { CursorCodec } from '../common/cursor-codec';
import { HubError } from '../common/errors';
import { sortableId } from '../common/ids';
import { Page, pageLimit } from '../common/list-query.dto';
import { WebhookEndpointRow, WebhookEndpointsRepository } from '../store/webhook-endpoints.repository';
import { WebhookOutboxRepository } from '../store/webhook-outbox.repository';
import { OutboxWriter } from './outbox-writer';
import { SigningSecrets } from './signing-secrets';
import { ALL_EVENTS, WEBHOOK_TEST } from './webhook-events';
import { generateSecret } from './webhook-signing';
import { assertAllowedTarget, privateTargetsAllowed } from './webhook-target';
import type { CreatedWebhookView, CreateWebhookDto, DeliveryView, RotatedSecretView, UpdateWebhookDto, WebhookView } from './webhooks.dto';

/** How long the previous secret keeps signing after a rotation, so receivers can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/**
 * Webhook endpoints: create (secret shown once), read, change, delete, test, rotate the secret.
 * Each belongs to a tenant or to none, as accounts do: every method takes the caller as a Viewer,
 * and an endpoint of another tenant answers exactly as one that does not exist.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly outbox: WebhookOutboxRepository,
    private readonly secrets: SigningSecrets,
    private readonly writer: OutboxWriter,
    private readonly cursors: CursorCodec,
  ) {}

  async create(dto: CreateWebhookDto, viewer: Viewer): Promise<CreatedWebhookView> {
    const tenantId = tenantForNew(dto.tenant_id, viewer, 'adds webhook endpoints');
    const url = await assertAllowedTarget(dto.url, privateTargetsAllowed(this.config.webhookPrivateTargets, tenantId));
    const id = `ep_${sortableId()}`;
    const secret = generateSecret();
    const now = new Date().toISOString();
    const row: WebhookEndpointRow = {
      id,
      tenant_id: tenantId,
      url: url.toString(),
      description: dto.description ?? null,
      events: JSON.stringify(normalizeEvents(dto.events)),
      enabled: 1,
      disabled_reason: null,
      secret: this.secrets.seal(secret, id),
      secret_key_id: this.secrets.keyId,
      previous_secret: null,
      previous_secret_expires_at: null,
      failing_since: null,
      created_at: now,
      updated_at: now,
    };
    await this.endpoints.insert(row);
    this.logger.log(`webhook endpoint ${id} created for ${url.origin}${tenantId === null ? '' : ` in tenant ${tenantId}`}`);
    return { ...toWebhookView(row), secret };
  }

  /** The endpoint, if `viewer` may see it; another tenant's gets the very answer of an id that does not exist. */
  async get(id: string, viewer: Viewer): Promise<WebhookEndpointRow> {
    const row = await this.endpoints.findById(id);
    if (!row || (viewer.tenantId !== null && row.tenant_id !== viewer.tenantId)) throw new HubError('WEBHOOK_NOT_FOUND', `No webhook endpoint with id "${id}"; list them with GET /webhooks`);
    return row;
  }

  /**
   * A page of the endpoints `viewer` sees (of one tenant with `tenantFilter`). The cursor is signed
   * with the viewer's tenant and the filter, so another tenant's key cannot use it.
   */
  async list(requestedLimit: number | undefined, cursor: string | undefined, viewer: Viewer, tenantFilter?: string): Promise<Page<WebhookView>> {
    const resource = tenantFilter === undefined ? 'webhooks' : `webhooks?tenant_id=${tenantFilter}`;
    const position = cursor ? this.cursors.decode(cursor, { account: '*', resource, tenant: viewer.tenantId }) : null;
    const limit = pageLimit(requestedLimit, position);
    const tenant = tenantToRead(viewer, tenantFilter);
    if (tenant === NO_TENANT) return { result: [], next_cursor: null, result_count: 0 };
    const rows = await this.endpoints.page(position?.k ?? null, limit, tenant);
    const page = rows.slice(0, limit);
    return {
      result: page.map(toWebhookView),
      next_cursor: rows.length > limit ? this.cursors.encode({ a: '*', r: resource, t: viewer.tenantId, k: page[page.length - 1]!.id, l: limit }) : null,
      result_count: page.length,
    };
  }

  async update(id: string, dto: UpdateWebhookDto, viewer: Viewer): Promise<WebhookView> {
    const row = await this.get(id, viewer);
    const changes: Partial<WebhookEndpointRow> = { updated_at: new Date().toISOString() };
    if (dto.url !== undefined) changes.url = (await assertAllowedTarget(dto.url, privateTargetsAllowed(this.config.webhookPrivateTargets, row.tenant_id))).toString();
    if (dto.events !== undefined) changes.events = JSON.stringify(normalizeEvents(dto.events));
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.enabled !== undefined) {
      changes.enabled = dto.enabled ? 1 : 0;
      // Enabled again: a clean slate, the 24 h of failures count from the next failure.
      changes.disabled_reason = null;
      if (dto.enabled) changes.failing_since = null;
    }
    await this.endpoints.update(id, changes);
    return toWebhookView({ ...row, ...changes });
  }

  async delete(id: string, viewer: Viewer): Promise<void> {
    await this.get(id, viewer);
    if (!(await this.endpoints.delete(id))) await this.get(id, viewer);
  }

  /** Queues a webhook.test to this endpoint alone; returns its message id (the webhook-id header). */
  async test(id: string, viewer: Viewer): Promise<{ message_id: string }> {
    const row = await this.get(id, viewer);
    if (row.enabled !== 1) {
      throw new HubError('WEBHOOK_DISABLED', `Webhook endpoint ${id} is disabled${row.disabled_reason ? ` (${row.disabled_reason})` : ''}; PATCH it with "enabled": true first.`);
    }
    const now = new Date().toISOString();
    const [messageId] = await this.writer.write([{ type: WEBHOOK_TEST, tenantId: row.tenant_id, timestamp: now, data: { webhook_id: id, message: 'A test message from the integration hub.' } }], { onlyEndpoint: id });
    return { message_id: messageId! };
  }

  /** A new secret signs from now on; the old one signs beside it for ROTATION_OVERLAP_MS. */
  async rotateSecret(id: string, viewer: Viewer): Promise<RotatedSecretView> {
    const row = await this.get(id, viewer);
    const secret = generateSecret();
    const expires = new Date(Date.now() + ROTATION_OVERLAP_MS).toISOString();
    await this.endpoints.update(id, {
      secret: this.secrets.seal(secret, id),
      secret_key_id: this.secrets.keyId,
      previous_secret: row.secret,
      previous_secret_expires_at: expires,
      updated_at: new Date().toISOString(),
    });
    return { id, secret, previous_secret_expires_at: expires };
  }

  async deliveries(id: string, requestedLimit: number | undefined, cursor: string | undefined, viewer: Viewer): Promise<Page<DeliveryView>> {
    await this.get(id, viewer);
    const position = cursor ? this.cursors.decode(cursor, { account: id, resource: 'webhook-deliveries' }) : null;
    const limit = pageLimit(requestedLimit, position);
    const rows = await this.outbox.deliveries(id, position?.k ?? null, limit);
    const page = rows.slice(0, limit);
    return {
      result: page.map((d) => ({
        id: d.message_id,
        event_type: d.type,
        // Written by a sync that has not switched its snapshot yet: goes out once it succeeded.
        status: d.sync_run_id !== null && d.status === 'pending' ? 'waiting_for_sync' : d.status,
        attempts: d.attempts,
        last_response_code: d.last_status_code,
        last_error: d.last_error,
        last_attempt_at: d.last_attempt_at,
        next_attempt_at: d.status === 'pending' ? d.next_attempt_at : null,
        created_at: d.created_at,
      })),
      next_cursor: rows.length > limit ? this.cursors.encode({ a: id, r: 'webhook-deliveries', k: page[page.length - 1]!.message_id, l: limit }) : null,
      result_count: page.length,
    };
  }
}

/** ["*"] stands alone; otherwise the names once each, in a stable order. */
function normalizeEvents(events: string[]): string[] {
  return events.includes(ALL_EVENTS) ? [ALL_EVENTS] : [...new Set(events)].sort();
}

/** The public shape of an endpoint: never its secret. */
export function toWebhookView(row: WebhookEndpointRow): WebhookView {
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    description: row.description,
    enabled: row.enabled === 1,
    disabled_reason: row.disabled_reason,
    previous_secret_expires_at: row.previous_secret_expires_at && Date.parse(row.previous_secret_expires_at) > Date.now() ? row.previous_secret_expires_at : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

import { Inject, Injectable } from '@nestjs/common';
import type { HubDatabase } from './database';
import { HUB_DATABASE } from './database.token';
import type { WebhookEndpointsTable } from './schema';

export type WebhookEndpointRow = WebhookEndpointsTable;
/** The sealed columns of an endpoint, as key rotation reads and rewrites them. */
export type SealedSecrets = Pick<WebhookEndpointRow, 'id' | 'secret' | 'secret_key_id' | 'previous_secret' | 'previous_secret_expires_at'>;

/** Webhook endpoints; the secrets in these rows are sealed, never plain. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async insert(row: WebhookEndpointRow): Promise<void> {
    await this.db.insertInto('webhook_endpoints').values(row).execute();
  }

  async findById(id: string): Promise<WebhookEndpointRow | undefined> {
    return this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Keyset page ordered by id, of one tenant's endpoints when `tenantId` is given; one extra row tells whether more follow. */
  async page(afterId: string | null, limit: number, tenantId?: string): Promise<WebhookEndpointRow[]> {
    let query = this.db.selectFrom('webhook_endpoints').selectAll().orderBy('id').limit(limit + 1);
    if (afterId !== null) query = query.where('id', '>', afterId);
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    return query.execute();
  }

  /** The endpoints events are queued for: enabled ones (a disabled endpoint gets no backlog). */
  async enabled(): Promise<Pick<WebhookEndpointRow, 'id' | 'events' | 'tenant_id'>[]> {
    return this.db.selectFrom('webhook_endpoints').select(['id', 'events', 'tenant_id']).where('enabled', '=', 1).orderBy('id').execute();
  }

  async update(id: string, changes: Partial<Omit<WebhookEndpointRow, 'id'>>): Promise<void> {
    await this.db.updateTable('webhook_endpoints').set(changes).where('id', '=', id).execute();
  }

  /** Remembers the first failure of a run of failures (kept as it is when one is already recorded). */
  async markFailing(id: string, at: string): Promise<string> {
    await this.db.updateTable('webhook_endpoints').set({ failing_since: at }).where('id', '=', id).where('failing_since', 'is', null).execute();
    const row = await this.db.selectFrom('webhook_endpoints').select('failing_since').where('id', '=', id).executeTakeFirst();
    return row?.failing_since ?? at;
  }

  async markSucceeding(id: string): Promise<void> {
    await this.db.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', '=', id).where('failing_since', 'is not', null).execute();
  }

  /** Disables an enabled endpoint with the reason shown on GET; false when it was disabled already. */
  async disable(id: string, reason: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_endpoints')
      .set({ enabled: 0, disabled_reason: reason, updated_at: at })
      .where('id', '=', id)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** A keyset batch (by id) of every endpoint's sealed secrets: few rows, read whole for counting and re-sealing. */
  async sealedSecrets(afterId: string | null, limit: number): Promise<SealedSecrets[]> {
    let query = this.db
      .selectFrom('webhook_endpoints')
      .select(['id', 'secret', 'secret_key_id', 'previous_secret', 'previous_secret_expires_at'])
      .orderBy('id')
      .limit(limit);
    if (afterId !== null) query = query.where('id', '>', afterId);
    return query.execute();
  }

  /**
   * Compare-and-set of the sealed secrets: written only if the row still holds what was read, so a
   * rotate-secret or another replica's re-seal meanwhile is never overwritten. Returns whether it wrote.
   */
  async replaceSealed(expected: SealedSecrets, next: Omit<SealedSecrets, 'id'>): Promise<boolean> {
    let query = this.db.updateTable('webhook_endpoints').set(next).where('id', '=', expected.id).where('secret', '=', expected.secret);
    query = expected.previous_secret === null ? query.where('previous_secret', 'is', null) : query.where('previous_secret', '=', expected.previous_secret);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

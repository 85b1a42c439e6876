import { Inject, Injectable } from '@nestjs/common';
import { HUB_DATABASE } from './database.token';
import type { HubDatabase } from './database';
import type { AuditEventsTable } from './schema';

export type AuditEventRow = AuditEventsTable;

export interface AuditFilter {
  tenantId?: string;
  action?: string;
}

/** Rows of audit_events: appended, read newest first, and pruned by age; never updated. */
@Injectable()
export class AuditEventsRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async insert(row: AuditEventRow): Promise<void> {
    await this.db.insertInto('audit_events').values(row).execute();
  }

  /** Keyset page, newest first (ids sort by time); one extra row says whether more follow. */
  async page(beforeId: string | null, limit: number, filter: AuditFilter): Promise<AuditEventRow[]> {
    let query = this.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (beforeId !== null) query = query.where('id', '<', beforeId);
    if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    return query.execute();
  }

  /** Deletes the events that occurred before `cutoff` (ISO 8601); returns how many. */
  async pruneBefore(cutoff: string): Promise<number> {
    const result = await this.db.deleteFrom('audit_events').where('occurred_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

import { ApiProperty } from '@nestjs/swagger';
import type { SyncRunRow } from '../store/sync-runs.repository';

export interface SyncStats {
  /** Successful requests made to the upstream (pages read, token checks). */
  upstream_requests: number;
  /** Pages (or, for a connector writing its own snapshot, chunks) of unified records the connector returned. */
  pages: number;
  records: number;
  users: number;
  users_added: number;
  users_removed: number;
  users_changed: number;
  retries: number;
  retry_reasons: Record<string, number>;
  progress?: { pages_done: number; pages_known: number | null };
  /** Where the time went: reading (upstream, mapping, serialising) and writing the snapshot. */
  timings?: { reading_ms: number; writing_ms: number };
  /** Changes this run added to the account's change feed (none for the first sync: the baseline). */
  changes?: number;
}

export class SyncRunView {
  @ApiProperty() id: string;
  @ApiProperty() integrated_account_id: string;
  @ApiProperty({ enum: ['initial', 'scheduled', 'manual'] }) trigger: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) started_at: string | null;
  @ApiProperty({ nullable: true, type: String }) finished_at: string | null;
  @ApiProperty({ nullable: true, type: Number }) duration_ms: number | null;
  @ApiProperty({ description: 'upstream requests, pages, records, users added/removed/changed, retries and why; progress while running' })
  stats: SyncStats;
  @ApiProperty({ nullable: true, type: String, description: 'The hub replica that runs (or ran) it; null while it waits in a shared queue' })
  replica: string | null;
  @ApiProperty({ nullable: true, example: null, description: '{ code, message } when failed' })
  error: { code: string; message: string } | null;
}

export function toSyncRunView(row: SyncRunRow): SyncRunView {
  const finished = row.finished_at ? Date.parse(row.finished_at) : null;
  const started = row.started_at ? Date.parse(row.started_at) : null;
  return {
    id: row.id,
    integrated_account_id: row.account_id,
    trigger: row.trigger,
    status: row.status,
    started_at: row.started_at,
    finished_at: row.finished_at,
    duration_ms: started !== null ? (finished ?? Date.now()) - started : null,
    stats: JSON.parse(row.stats) as SyncStats,
    replica: row.owner ?? null,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
  };
}

export class SyncRunPage {
  @ApiProperty({ type: [SyncRunView], description: 'Sync runs, newest first' }) result: SyncRunView[];
  @ApiProperty({ nullable: true, type: String, description: 'Send it as next_cursor to get the next page; null: this was the last page' }) next_cursor: string | null;
  @ApiProperty({ description: 'How many results this page holds' }) result_count: number;
}

import type { SyncStats } from './sync-run.view';

/**
 * Events of a sync run's end (through @nestjs/event-emitter, awaited), so the modules above sync
 * react without sync knowing them.
 *
 * SYNC_RECORDED comes after the run wrote its change feed and before the snapshot switch: what a
 * listener writes then, tagged with the run's id, counts only once the switch commits (the run
 * succeeded), like the change rows themselves. A listener that throws fails the run.
 */
export const SYNC_RECORDED = 'sync.recorded';
export const SYNC_FAILED = 'sync.failed';

export interface SyncRecordedEvent {
  accountId: string;
  runId: string;
  finishedAt: string;
  stats: SyncStats;
}

export interface SyncFailedEvent {
  accountId: string;
  runId: string;
  finishedAt: string;
  code: string;
  message: string;
  /** The account's status before this run; with code UPSTREAM_AUTH_FAILED it is now needs_reauth. */
  previousStatus: string;
}

/**
 * Every run's end, succeeded or failed (reclaimed runs included), emitted without waiting for
 * listeners: for what only counts runs (metrics). Nothing in it names a customer or a credential.
 */
export const SYNC_FINISHED = 'sync.finished';

export interface SyncFinishedEvent {
  accountId: string;
  runId: string;
  integration: string;
  status: 'succeeded' | 'failed';
  /** The failure's hub error code; null for a succeeded run. */
  code: string | null;
  /** From the run's start (or its queueing, if it never started) to its end. */
  durationMs: number;
}

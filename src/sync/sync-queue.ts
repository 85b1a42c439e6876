/**
 * The seam between "a run of this account should happen" and "some worker runs it". Above it the
 * sync service creates the run row (the database guard allows one unfinished run per account,
 * and a run asked for meanwhile is recorded as the running one's follow-up); below it a driver
 * decides where and when the run executes:
 *
 * - EmbeddedSyncQueue: in this process, HUB_SYNC_CONCURRENCY at once, a timer for the schedule.
 *   No Redis; what waits in it dies with the process (its runs are leased like running ones).
 * - BullMqSyncQueue (HUB_REDIS_URL): BullMQ jobs any replica's worker may take, deduplicated per
 *   account, and one job scheduler for the whole cluster, so a schedule fires once, not per replica.
 */
export interface SyncJob {
  runId: string;
  accountId: string;
}

export interface SyncQueue {
  /**
   * True when runs waiting in this queue live in this process: the replica then owns (and leases)
   * them from the moment they are queued. False when the queue itself outlives replicas.
   */
  readonly holdsQueuedRuns: boolean;
  /** Hands a registered run to the workers. */
  enqueue(job: SyncJob): Promise<void>;
  /** Sets what runs a job (HUB_SYNC_CONCURRENCY at once on this replica) and starts working. */
  process(worker: (job: SyncJob) => Promise<void>): Promise<void>;
  /** Calls `tick` every `everyMs`, once per cluster. */
  schedule(everyMs: number, tick: () => Promise<unknown>): Promise<void>;
  /** Resolves when the queue's backing store answers (Redis for BullMQ; nothing to ask for the embedded one). */
  ping(): Promise<void>;
  /** Jobs in the queue by state (for metrics): this replica's for the embedded queue, the cluster's for BullMQ. */
  depth(): Promise<QueueDepth>;
  /**
   * Shutdown, first step: takes no more jobs, and resolves once the jobs this replica was running
   * have ended (their runs finish or are stopped by the caller meanwhile). Jobs not started stay
   * for other replicas (BullMQ) or are dropped (embedded: their runs are ended by the caller).
   */
  stopTaking(): Promise<void>;
  /** Stops taking jobs and ticks. */
  close(): Promise<void>;
}

export interface QueueDepth {
  driver: 'embedded' | 'bullmq';
  jobs: Record<string, number>;
}

export const SYNC_QUEUE = Symbol('SYNC_QUEUE');

import { Logger } from '@nestjs/common';
import { ConcurrencyGate } from '../connector-kit/http/concurrency-gate';
import type { QueueDepth, SyncJob, SyncQueue } from './sync-queue';

/**
 * The queue of a single hub: jobs run in this process, at most `concurrency` at once, the others
 * wait in memory (their runs stay `queued`). The schedule is a timer of this process.
 */
export class EmbeddedSyncQueue implements SyncQueue {
  readonly holdsQueuedRuns = true;
  private readonly logger = new Logger('SyncQueue');
  private readonly slots: ConcurrencyGate;
  private worker?: (job: SyncJob) => Promise<void>;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(concurrency: number) {
    this.slots = new ConcurrencyGate(concurrency);
  }

  async enqueue(job: SyncJob): Promise<void> {
    if (!this.worker) throw new Error('the sync queue has no worker yet');
    if (this.closed) return;
    const worker = this.worker;
    // A job still waiting for a slot when the queue stops is dropped (the caller ends its run).
    void this.slots.run(async () => (this.closed ? undefined : worker(job))).catch((error) => this.logger.error(`sync ${job.runId} could not run: ${(error as Error).message}`));
  }

  async process(worker: (job: SyncJob) => Promise<void>): Promise<void> {
    this.worker = worker;
  }

  async schedule(everyMs: number, tick: () => Promise<unknown>): Promise<void> {
    this.timer = setInterval(() => void tick(), everyMs);
  }

  async ping(): Promise<void> {
    // In this process: up as long as the process is.
  }

  async depth(): Promise<QueueDepth> {
    return { driver: 'embedded', jobs: { waiting: this.slots.waiting, active: this.slots.running } };
  }

  /** The jobs going are the sync service's to wait for (it holds their runs); nothing new starts. */
  async stopTaking(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
  }

  /** Runs going are not waited for (one may take HUB_SYNC_BUDGET); their leases expire with the process. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
  }
}

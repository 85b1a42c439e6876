import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Worker } from 'bullmq';
import type { HubConfig } from '../../config/hub-config';
import { HUB_CONFIG } from '../../config/config.token';
import { BullMqSyncQueue, SYNC_JOBS } from './bullmq-sync-queue';
import { redisConnection } from '../../config/redis-connection';
import { redisErrorLog } from '../../common/redis-error-log';

/** How long closing the worker waits for its jobs' end and Redis's goodbye. */
const CLOSE_WAIT_MS = 3_000;

/**
 * This replica's BullMQ worker: HUB_SYNC_CONCURRENCY sync jobs at once, each handed to the queue
 * driver. Built here rather than with @Processor() because its options come from the
 * configuration: a job's lock lasts as long as a run's lease (BullMQ fixes the lock timings when
 * the worker is constructed), so the job of a killed replica comes back about when its run is
 * reclaimed rather than after BullMQ's default 30 s. Not started on HUB_ROLE=api replicas.
 */
@Injectable()
export class SyncWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SyncWorker');
  private worker?: Worker;

  constructor(
    private readonly queue: BullMqSyncQueue,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    const redis = this.config.redis!;
    this.worker = new Worker(SYNC_JOBS, (job) => this.queue.handle(job), {
      connection: redisConnection(redis.url),
      prefix: redis.prefix,
      concurrency: this.config.syncConcurrency,
      lockDuration: this.config.syncLeaseMs,
      stalledInterval: this.config.syncLeaseMs,
      autorun: false,
    });
    this.worker.on('error', redisErrorLog(this.logger, 'sync worker: Redis'));
    const worker = this.worker;
    // Not forced: BullMQ keeps the jobs' locks until they end, then closes.
    this.queue.stopWorker = () => worker.close();
    this.worker.run().catch((error) => this.logger.error(`the sync worker stopped: ${(error as Error).message}`));
  }

  /**
   * Stops taking jobs, waiting at most CLOSE_WAIT_MS (SIGTERM drains first, see SyncService.drain;
   * a run still going is left to its lease, as when a replica dies). Never forced: a forced close
   * ends the worker's connections under jobs still going, and BullMQ then retries their completion
   * on the closed connection without waiting, a loop that starves the event loop. Unforced, with
   * Redis away, those commands wait in ioredis's offline queue instead, and the process exits.
   */
  async onModuleDestroy(): Promise<void> {
    if (!this.worker) return;
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      this.worker.close().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (!closed) this.logger.warn(`the sync worker did not close within ${CLOSE_WAIT_MS} ms (a run still going, or Redis away); its jobs come back to the queue when their locks expire`);
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Worker } from 'bullmq';
import type { HubConfig } from '../../config/hub-config';
import { HUB_CONFIG } from '../../config/config.token';
import { BullMqSyncQueue, SYNC_JOBS } from './bullmq-sync-queue';
import { redisConnection } from './redis-connection';
import { redisErrorLog } from './redis-error-log';

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
   * Stops taking jobs without waiting for the runs going (one may take HUB_SYNC_BUDGET): their
   * leases expire and another replica reclaims them, as when a replica dies.
   */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close(true);
  }
}

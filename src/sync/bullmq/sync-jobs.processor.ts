import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { HubConfig } from '../../config/hub-config';
import { HUB_CONFIG } from '../../config/config.token';
import { BullMqSyncQueue, SYNC_JOBS } from './bullmq-sync-queue';
import { redisErrorLog } from './redis-error-log';

/**
 * This replica's BullMQ worker: HUB_SYNC_CONCURRENCY sync jobs at once, each handed to the queue
 * driver. Started by hand (not autorun) once its settings are known: a job's lock lasts as long
 * as a run's lease, so the job of a killed replica comes back (and finds its run reclaimed, or
 * claims nothing) about when the lease expires rather than after BullMQ's default 30 s.
 */
@Processor(SYNC_JOBS, { autorun: false })
export class SyncJobsProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SyncJobsProcessor');

  constructor(
    private readonly queue: BullMqSyncQueue,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.on('error', redisErrorLog(this.logger, 'sync worker: Redis'));
    Object.assign(this.worker.opts, { lockDuration: this.config.syncLeaseMs, stalledInterval: this.config.syncLeaseMs });
    this.worker.concurrency = this.config.syncConcurrency;
    if (this.config.role === 'api') return;
    this.worker.run().catch((error) => this.logger.error(`the sync worker stopped: ${(error as Error).message}`));
  }

  /**
   * Stops taking jobs without waiting for the runs going (one may take HUB_SYNC_BUDGET): their
   * leases expire and another replica reclaims them, as when a replica dies.
   */
  async onModuleDestroy(): Promise<void> {
    await this.worker.close(true);
  }

  async process(job: Job): Promise<void> {
    await this.queue.handle(job);
  }
}

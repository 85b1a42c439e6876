import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { HubError } from '../../common/errors';
import type { HubConfig } from '../../config/hub-config';
import { HUB_CONFIG } from '../../config/config.token';
import type { QueueDepth, SyncJob, SyncQueue } from '../sync-queue';
import { redisLabel } from '../../config/redis-connection';
import { redisErrorLog } from '../../common/redis-error-log';

/** The BullMQ queue of sync jobs (its keys: `<HUB_REDIS_PREFIX>:hub-sync:*`). */
export const SYNC_JOBS = 'hub-sync';
/** The one job scheduler of the cluster: every replica upserts it, BullMQ keeps one. */
const TICK_SCHEDULER = 'hub-sync-tick';
/** How long the boot waits for Redis before it fails naming HUB_REDIS_URL. */
const REDIS_READY_MS = 10_000;

/**
 * Sync jobs in Redis, for hub replicas in a cluster. A job carries a run registered in the
 * database (the guard there allows one unfinished run per account); any replica's worker may take
 * it. Jobs are deduplicated per account with `keepLastIfActive`: while an account's job is being
 * worked on, a newer one (its follow-up) waits and is created only when the active one ends, so
 * BullMQ itself never hands out two jobs of one account at once. The schedule is a BullMQ job
 * scheduler, one for the whole cluster: its tick runs on one worker, not on every replica.
 */
@Injectable()
export class BullMqSyncQueue implements SyncQueue, OnModuleInit {
  readonly holdsQueuedRuns = false;
  private readonly logger = new Logger('SyncQueue');
  private runJob?: (job: SyncJob) => Promise<void>;
  private tick?: () => Promise<unknown>;
  private readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(
    @InjectQueue(SYNC_JOBS) private readonly queue: Queue,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.queue.on('error', redisErrorLog(this.logger, 'sync queue: Redis'));
  }

  /** Fails the boot with a clear line when Redis cannot be reached (ioredis would retry forever). */
  async onModuleInit(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`HUB_REDIS_URL: Redis at ${redisLabel(this.config.redis!.url)} did not answer within ${REDIS_READY_MS / 1000} s`)), REDIS_READY_MS);
    });
    try {
      await Promise.race([this.queue.waitUntilReady(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async enqueue(job: SyncJob): Promise<void> {
    // While Redis is away the add would wait in ioredis's offline queue, holding the caller (a POST /sync) with it.
    const client = await this.queue.client;
    if (client.status !== 'ready') {
      throw new HubError('NOT_READY', `Redis (HUB_REDIS_URL) is unreachable (connection ${client.status}): the sync cannot be queued; ask again shortly`, { retryAfterSeconds: 5 });
    }
    await this.queue.add('run', job, {
      deduplication: { id: job.accountId, keepLastIfActive: true },
      removeOnComplete: true,
      removeOnFail: 1000,
    });
  }

  async process(worker: (job: SyncJob) => Promise<void>): Promise<void> {
    this.runJob = worker;
    if (this.tick) this.markReady();
  }

  async schedule(everyMs: number, tick: () => Promise<unknown>): Promise<void> {
    this.tick = tick;
    if (this.runJob) this.markReady();
    await this.queue.upsertJobScheduler(TICK_SCHEDULER, { every: everyMs }, { name: 'tick', opts: { removeOnComplete: true, removeOnFail: 100 } });
  }

  /** Called by the worker for every job it takes (see SyncJobsProcessor). */
  async handle(job: Job): Promise<void> {
    // The worker may take a job before the sync service registered its handlers at boot.
    await this.ready;
    if (job.name === 'tick') {
      await this.tick!();
      return;
    }
    if (job.name !== 'run') {
      this.logger.warn(`ignored a sync job named ${job.name}`);
      return;
    }
    await this.runJob!(job.data as SyncJob);
  }

  /**
   * Down at once while the connection is not ready (ioredis reconnecting: a command would wait in
   * its offline queue); else one small round trip (a ZCARD), which callers bound in time.
   */
  async ping(): Promise<void> {
    const client = await this.queue.client;
    if (client.status !== 'ready') throw new Error(`Redis connection is ${client.status}`);
    await this.queue.getJobSchedulersCount();
  }

  /** The cluster's counts (one round trip); like ping(), it waits while Redis is away. */
  async depth(): Promise<QueueDepth> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
    return { driver: 'bullmq', jobs: counts };
  }

  /** Set by SyncWorker: closes this replica's worker once its jobs have ended. */
  stopWorker: () => Promise<void> = async () => undefined;

  async stopTaking(): Promise<void> {
    await this.stopWorker();
  }

  async close(): Promise<void> {
    // The queue and workers are closed by @nestjs/bullmq at shutdown.
  }
}

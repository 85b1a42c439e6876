import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import type { HubConfig } from '../config/hub-config';
import { BullMqSyncQueue, SYNC_JOBS } from './bullmq/bullmq-sync-queue';
import { redisConnection } from '../config/redis-connection';
import { SyncWorker } from './bullmq/sync-worker';
import { EmbeddedSyncQueue } from './embedded-sync-queue';
import { SYNC_QUEUE } from './sync-queue';

/**
 * The SyncQueue driver, chosen once at boot: BullMQ when HUB_REDIS_URL is set (cluster mode),
 * else the embedded queue. Global, so SyncModule stays one static module whichever it is.
 */
@Module({})
export class SyncQueueModule {
  static forRoot(config: HubConfig): DynamicModule {
    if (!config.redis) {
      return {
        module: SyncQueueModule,
        global: true,
        providers: [{ provide: SYNC_QUEUE, useFactory: () => new EmbeddedSyncQueue(config.syncConcurrency) }],
        exports: [SYNC_QUEUE],
      };
    }
    return {
      module: SyncQueueModule,
      global: true,
      imports: [
        BullModule.forRoot({ connection: redisConnection(config.redis.url), prefix: config.redis.prefix }),
        BullModule.registerQueue({ name: SYNC_JOBS }),
      ],
      providers: [BullMqSyncQueue, SyncWorker, { provide: SYNC_QUEUE, useExisting: BullMqSyncQueue }],
      exports: [SYNC_QUEUE],
    };
  }
}

import { Queue } from 'bullmq';
import { SYNC_JOBS } from '../../src/sync/bullmq/bullmq-sync-queue';
import { redisConnection } from '../../src/config/redis-connection';

/** Redis for the cluster tests (the machine's own; each test run under its own key prefix). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The hub's sync queue under `prefix`, for a test to look into; close() it after. */
export function syncQueueAt(prefix: string): Queue {
  return new Queue(SYNC_JOBS, { connection: redisConnection(REDIS_URL), prefix });
}

/** A key prefix no other test uses, and a drop() that removes the sync queue's keys under it. */
export function freshRedisPrefix(): { prefix: string; drop: () => Promise<void> } {
  const prefix = `hub-test-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
  return {
    prefix,
    drop: async () => {
      const queue = syncQueueAt(prefix);
      try {
        await queue.obliterate({ force: true });
      } finally {
        await queue.close();
      }
    },
  };
}

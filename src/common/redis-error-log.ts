import type { Logger } from '@nestjs/common';

/** Repeats of one message are logged at most this often: ioredis reconnects many times a second. */
const REPEAT_MS = 10_000;

/**
 * An `error` listener for the hub's Redis clients (BullMQ's queue and worker, the rate-limit and
 * revocation clients). Without one, BullMQ and ioredis print every connection error (with its
 * stack) to the console; with it, a lost Redis is one warning line per 10 s.
 */
export function redisErrorLog(logger: Logger, what: string): (error: Error) => void {
  const last = new Map<string, number>();
  return (error: Error) => {
    const now = Date.now();
    if (now - (last.get(error.message) ?? 0) < REPEAT_MS) return;
    last.set(error.message, now);
    logger.warn(`${what}: ${error.message}`);
  };
}

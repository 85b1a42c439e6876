import type { INestApplication, Logger } from '@nestjs/common';
import type { HubConfig } from './config/hub-config';
import { SyncService } from './sync/sync.service';

/** After the drain, how long closing the app (HTTP server, database, Redis) may take before the process exits anyway. */
const CLOSE_GRACE_MS = 10_000;

/**
 * SIGTERM (and SIGINT, Ctrl-C) stop the hub in order, then exit 0:
 *  1. the sync service drains: no more jobs taken; the runs going here get HUB_SHUTDOWN_TIMEOUT to
 *     finish, then are stopped and handed back (see SyncService.drain); HTTP keeps answering meanwhile;
 *  2. the app closes: HTTP server, BullMQ queue and worker, database pool (every OnApplicationShutdown).
 * A second signal, or a close that hangs past the bound, exits 1 at once. Used by main.ts instead of
 * Nest's enableShutdownHooks(), which re-raises the signal (exit code 143) and has no drain.
 */
export function installGracefulShutdown(app: INestApplication, config: HubConfig, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again during shutdown: exiting now`);
      process.exit(1);
    }
    stopping = true;
    void shutdown(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  async function shutdown(signal: NodeJS.Signals): Promise<void> {
    const started = Date.now();
    const bound = config.shutdownTimeoutMs + CLOSE_GRACE_MS + 5_000;
    const hardStop = setTimeout(() => {
      logger.error(`shutdown did not finish within ${bound} ms; exiting`);
      process.exit(1);
    }, bound);
    hardStop.unref();
    try {
      logger.log(`${signal}: draining sync runs (HUB_SHUTDOWN_TIMEOUT ${config.shutdownTimeoutMs} ms)`);
      const drained = await app.get(SyncService).drain(config.shutdownTimeoutMs);
      logger.log(
        `drained: ${drained.finished} run(s) finished, ${drained.stopped} stopped and handed back, ${drained.dropped} queued here ended` +
          (drained.leftRunning ? `, ${drained.leftRunning} still ending (their leases expire)` : ''),
      );
      const closed = await Promise.race([
        app.close().then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), CLOSE_GRACE_MS).unref()),
      ]);
      if (!closed) {
        logger.error(`closing did not finish within ${CLOSE_GRACE_MS} ms (Redis or the database unreachable?); exiting`);
        process.exit(1);
      }
      logger.log(`stopped in ${Date.now() - started} ms`);
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    }
  }
}

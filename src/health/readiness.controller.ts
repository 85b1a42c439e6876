import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { HubError } from '../common/errors';
import { ShutdownState } from '../common/shutdown-state';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { DatabasePing } from '../store/database-ping';
import { SYNC_QUEUE, SyncQueue } from '../sync/sync-queue';

/** A dependency that does not answer within this is down (a dead Redis makes ioredis wait, not fail). */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * Readiness, for a load balancer or an orchestrator: the database answers, and in cluster mode
 * Redis too. `GET /health` stays the liveness answer that needs nothing.
 */
@ApiTags('Health')
@Controller('health')
export class ReadinessController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabasePing,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOkResponse({ schema: { example: { status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } } } })
  async ready(): Promise<HealthCheckResult> {
    // Draining after SIGTERM: still answering, but a load balancer should send new requests elsewhere.
    if (this.shutdown.draining) throw new HubError('NOT_READY', 'Not ready: this replica is shutting down (SIGTERM); its sync runs are draining', { details: { checks: { shutdown: { status: 'down' } } } });
    const checks = [() => this.probe('database', () => this.database.ping())];
    if (this.config.redis) checks.push(() => this.probe('redis', () => this.queue.ping()));
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus's own 503 body, inside the hub's error shape.
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      throw new HubError('NOT_READY', `Not ready: ${down.join(' and ')} did not answer`, { details: { checks: result.details } });
    }
  }

  private async probe(key: string, ping: () => Promise<void>) {
    const check = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}

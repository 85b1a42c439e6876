import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { AuditEventsRepository } from '../store/audit-events.repository';

/** How often old events are pruned: the retention is at least an hour, so this is fine enough. */
const PRUNE_EVERY_MS = 60 * 60_000;

/** Deletes audit events older than HUB_AUDIT_RETENTION, at boot and then every hour. */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly events: AuditEventsRepository,
  ) {}

  onApplicationBootstrap(): void {
    void this.prune();
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Returns how many events were deleted (0 when the prune failed: it is logged and tried again later). */
  async prune(now = Date.now()): Promise<number> {
    try {
      const deleted = await this.events.pruneBefore(new Date(now - this.config.auditRetentionMs).toISOString());
      if (deleted > 0) this.logger.log(`pruned ${deleted} audit event(s) older than HUB_AUDIT_RETENTION`);
      return deleted;
    } catch (error) {
      this.logger.error(`pruning old audit events failed: ${(error as Error).message}`);
      return 0;
    }
  }
}

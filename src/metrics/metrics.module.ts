import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { HubMetrics } from './hub-metrics';
import { MetricsAccess } from './metrics-access';
import { MetricsController } from './metrics.controller';

/**
 * `GET /metrics` (prom-client). On top of the features it measures: it listens to their events
 * (sync.finished, proxy.exchanged) and to the connector kit's upstream telemetry, and asks the
 * sync queue its depth; none of them knows it exists.
 */
@Module({ imports: [AuthModule], controllers: [MetricsController], providers: [HubMetrics, MetricsAccess] })
export class MetricsModule {}

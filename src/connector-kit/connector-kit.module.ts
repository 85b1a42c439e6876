import { Global, Module } from '@nestjs/common';
import { UpstreamHttp } from './http/upstream-http';
import { UpstreamTelemetry } from './http/upstream-telemetry';

/**
 * What the kit gives connector modules at run time: the upstream HTTP client. Global, so a
 * connector module lists only its own providers and still gets `UpstreamHttp` injected. The
 * telemetry is where the hub's metrics listen to the client (connectors never see it).
 */
@Global()
@Module({ providers: [UpstreamHttp, UpstreamTelemetry], exports: [UpstreamHttp, UpstreamTelemetry] })
export class ConnectorKitModule {}

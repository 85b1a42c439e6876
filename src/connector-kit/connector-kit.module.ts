import { Global, Module } from '@nestjs/common';
import { UpstreamHttp } from './http/upstream-http';

/**
 * What the kit gives connector modules at run time: the upstream HTTP client. Global, so a
 * connector module lists only its own providers and still gets `UpstreamHttp` injected.
 */
@Global()
@Module({ providers: [UpstreamHttp], exports: [UpstreamHttp] })
export class ConnectorKitModule {}

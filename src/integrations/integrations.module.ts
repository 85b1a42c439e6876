import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConnectorRegistry } from './connector.registry';
import { IntegrationsController } from './integrations.controller';

/** The connectors the manifest declares, paired with their @Connector() providers; `GET /integrations`. */
@Module({
  imports: [DiscoveryModule],
  controllers: [IntegrationsController],
  providers: [ConnectorRegistry],
  exports: [ConnectorRegistry],
})
export class IntegrationsModule {}

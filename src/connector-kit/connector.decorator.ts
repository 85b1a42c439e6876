import { SetMetadata } from '@nestjs/common';

export const CONNECTOR_ID = Symbol('hub:connector-id');

/**
 * Marks a provider as the implementation of the manifest entry `id`. The registry finds it through
 * NestJS discovery, the way @nestjs/schedule finds @Cron methods: importing the connector's module
 * is all a host app does to register it.
 */
export const Connector = (id: string): ClassDecorator => SetMetadata(CONNECTOR_ID, id);

import { Module } from '@nestjs/common';
import { JetbrainsClient } from './jetbrains.client';
import { JetbrainsConnector } from './jetbrains.connector';

/** Import next to HubModule.forRoot() to register the JetBrains connector. */
@Module({
  providers: [JetbrainsClient, JetbrainsConnector],
})
export class JetbrainsModule {}

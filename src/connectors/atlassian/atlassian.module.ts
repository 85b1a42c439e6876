import { Module } from '@nestjs/common';
import { AtlassianClient } from './atlassian.client';
import { AtlassianConnector } from './atlassian.connector';

/** Import next to HubModule.forRoot() to register the Atlassian connector. */
@Module({
  providers: [AtlassianClient, AtlassianConnector],
})
export class AtlassianModule {}

import { DynamicModule, Module } from '@nestjs/common';
import { AtlassianModule } from './connectors/atlassian/atlassian.module';
import { JetbrainsModule } from './connectors/jetbrains/jetbrains.module';
import { HubModule, HubModuleOptions } from './hub.module';

/** The hub as shipped: hub core plus the connectors declared in connectors.manifest.json. */
@Module({})
export class AppModule {
  /** Built on demand (not at import) so a configuration error surfaces where main() reports it. */
  static create(options: HubModuleOptions = {}): DynamicModule {
    return { module: AppModule, imports: [HubModule.forRoot(options), JetbrainsModule, AtlassianModule] };
  }
}

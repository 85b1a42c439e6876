import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { HubError } from '../common/errors';
import { HUB_CONFIG } from '../config/config.token';
import { HUB_MANIFEST } from './manifest.token';
import type { HubConfig } from '../config/hub-config';
import type { ConnectorsManifest, ManifestEntry } from './manifest';
import type { HubConnector } from '../connector-kit/connector.contract';
import { CONNECTOR_ID } from '../connector-kit/connector.decorator';

export interface RegisteredConnector {
  entry: ManifestEntry;
  baseUrl: string;
  implementation: HubConnector;
}

/** Pairs each manifest entry with the one provider that implements it; boot fails otherwise. */
@Injectable()
export class ConnectorRegistry implements OnModuleInit {
  private readonly connectors = new Map<string, RegisteredConnector>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    @Inject(HUB_MANIFEST) private readonly manifest: ConnectorsManifest,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onModuleInit(): void {
    const implementations = new Map<string, HubConnector>();
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const id = this.reflector.get<string | undefined>(CONNECTOR_ID, wrapper.metatype as object as Function);
      if (!id) continue;
      if (implementations.has(id)) throw new Error(`Two providers implement connector "${id}"; keep one.`);
      implementations.set(id, wrapper.instance as HubConnector);
    }
    for (const entry of this.manifest.connectors) {
      const implementation = implementations.get(entry.id);
      if (!implementation) {
        throw new Error(
          `connectors.manifest.json declares "${entry.id}" but no provider implements it: ` +
            `import its module (a provider decorated with @Connector('${entry.id}')) or remove the entry.`,
        );
      }
      const baseUrl = (this.config.baseUrlOverrides[entry.id] ?? entry.base_url).replace(/\/+$/, '');
      this.connectors.set(entry.id, { entry, baseUrl, implementation });
    }
    for (const id of implementations.keys()) {
      if (!this.connectors.has(id)) {
        throw new Error(`Connector "${id}" is implemented but not declared in connectors.manifest.json; add an entry.`);
      }
    }
  }

  list(): RegisteredConnector[] {
    return [...this.connectors.values()];
  }

  get(id: string): RegisteredConnector {
    const connector = this.connectors.get(id);
    if (!connector) {
      throw new HubError('UNKNOWN_INTEGRATION', `Unknown integration "${id}"; one of: ${[...this.connectors.keys()].join(', ')}`, {
        details: { field: 'integration' },
      });
    }
    return connector;
  }
}

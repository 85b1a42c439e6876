import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Readable } from 'node:stream';
import { configureHttp } from '../src/bootstrap';
import { JetbrainsModule } from '../src/connectors/jetbrains/jetbrains.module';
import { Connector, pageOfSorted } from '../src/connector-kit';
import type { ConnectorAccount, ConnectorPage, HubConnector, PageRequest, UnifiedUser } from '../src/connector-kit';
import { HubModule } from '../src/hub.module';
import { readManifest, type ConnectorsManifest } from '../src/integrations/manifest';
import { connect, hubClient, tempDataDir, TEST_API_KEY, TEST_ENCRYPTION_KEY, useFixture } from './support/fixture';

/** A third-party connector, written outside the hub, as a plugin author would. */
@Connector('roster')
@Injectable()
class RosterConnector implements HubConnector {
  async authenticate(credentials: Record<string, string>) {
    return { organization: { id: credentials.team!, name: `Team ${credentials.team}` }, role: 'ADMIN', teams: [] };
  }
  async listUsers(_account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedUser>> {
    const people = ['ann@roster.example', 'bob@roster.example', 'cyd@roster.example'].map((email) => ({
      id: email,
      remote_id: email,
      email,
      emails: [{ email, type: 'work' as const, is_primary: true }],
      name: null,
      first_name: null,
      last_name: null,
      status: 'active',
      licenses: [],
      groups: [],
      last_active_at: null,
      integration: 'roster',
    }));
    return pageOfSorted(people, page);
  }
  async proxy() {
    return { status: 204, headers: {}, body: Readable.from([]) };
  }
}

@Module({ providers: [RosterConnector] })
class RosterModule {}

const rosterEntry = {
  id: 'roster',
  name: 'Roster',
  base_url: 'https://roster.example/api',
  credentials: [{ name: 'team', label: 'Team', secret: false, required: true }],
  capabilities: ['authenticate', 'users', 'proxy'],
} as const;

function env() {
  return { HUB_DATA_DIR: tempDataDir(), HUB_API_KEY: TEST_API_KEY, HUB_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY };
}

async function boot(manifest: ConnectorsManifest, connectorModules: unknown[]) {
  @Module({ imports: [HubModule.forRoot({ env: env(), manifest }), ...(connectorModules as never[])] })
  class HostAppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [HostAppModule] }).setLogger(false as never).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false });
  configureHttp(app);
  await app.init();
  return app;
}

describe('connectors are plugins', () => {
  const fx = useFixture();
  const jetbrainsEntry = readManifest().connectors.find((c) => c.id === 'jetbrains')!;

  it('registers the connectors a host app imports beside HubModule.forRoot()', async () => {
    const hub = hubClient(fx.track(await boot({ connectors: [jetbrainsEntry, rosterEntry as never] }, [JetbrainsModule, RosterModule])));
    const list = await hub.get('/integrations').expect(200);
    expect(list.body.result.map((i: { id: string }) => i.id)).toEqual(['jetbrains', 'roster']);
    const account = await connect(hub, { integration: 'roster', credentials: { team: 'blue' } });
    expect(account.body).toMatchObject({ integration: 'roster', name: 'Roster – Team blue' });
    const users = await hub.get(`/unified/user-directory/users?integrated_account_id=${account.id}&limit=2`).expect(200);
    expect(users.body.result.map((u: { id: string }) => u.id)).toEqual(['ann@roster.example', 'bob@roster.example']);
    // A capability the connector does not have answers an empty list rather than failing.
    const groups = await hub.get(`/unified/user-directory/groups?integrated_account_id=${account.id}`).expect(200);
    expect(groups.body.result).toEqual([]);
  });

  it('fails the boot when a manifest entry has no implementation', async () => {
    await expect(boot({ connectors: [jetbrainsEntry, rosterEntry as never] }, [JetbrainsModule])).rejects.toThrow(
      /declares "roster" but no provider implements it/,
    );
  });

  it('fails the boot when a connector is not declared in the manifest', async () => {
    await expect(boot({ connectors: [jetbrainsEntry] }, [JetbrainsModule, RosterModule])).rejects.toThrow(
      /Connector "roster" is implemented but not declared/,
    );
  });

  it('fails the boot on an invalid manifest, naming the entry and field', async () => {
    const broken = { connectors: [{ ...jetbrainsEntry, base_url: 'not a url' }] };
    await expect(boot(broken, [JetbrainsModule])).rejects.toThrow(/connectors\[0\] \(jetbrains\)\.base_url must be an http\(s\) URL/);
  });
});

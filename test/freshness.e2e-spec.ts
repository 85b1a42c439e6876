import { SIM_ADMIN_TOKEN } from '../sandbox/jetbrains/dataset';
import { connectSynced, eventually, HubClient, useFixture, waitForLatestRun } from './support/fixture';

const LISTS = ['users', 'groups', 'licenses', 'reclaimable-seats'];

/** Every unified list and the single-user get of an account, as { synced_at, stale, source }. */
async function freshnessOf(hub: HubClient, id: string) {
  const lists: Record<string, unknown> = {};
  for (const list of LISTS) {
    const { body } = await hub.get(`/unified/user-directory/${list}?integrated_account_id=${id}`).expect(200);
    lists[list] = { synced_at: body.synced_at, stale: body.stale, source: body.source };
  }
  const user = await hub.get(`/unified/user-directory/users/ada@example.com?integrated_account_id=${id}`).expect(200);
  return { lists, headers: { synced_at: user.headers['x-hub-synced-at'], stale: user.headers['x-hub-stale'] } };
}

/** What freshnessOf() gives when every read says the same. */
function everywhere(syncedAt: string, stale: boolean) {
  const one = { synced_at: syncedAt, stale, source: 'snapshot' };
  return { lists: Object.fromEntries(LISTS.map((l) => [l, one])), headers: { synced_at: syncedAt, stale: String(stale) } };
}

describe('reads say which snapshot they served and whether it is stale', () => {
  const fx = useFixture();

  it('fresh after a sync: synced_at is when the run whose snapshot is served finished', async () => {
    const { hub } = await fx.jetbrains({ dataset: 'tiny' });
    const { id, run } = await connectSynced(hub);
    expect(await freshnessOf(hub, id)).toEqual(everywhere(run.finished_at, false));
    // Repeats come from the page cache: the same fields.
    expect(await freshnessOf(hub, id)).toEqual(everywhere(run.finished_at, false));
  });

  it('documents the fields, the headers and the other additions in the OpenAPI document', async () => {
    const { hub } = await fx.jetbrains({ dataset: 'tiny' });
    const doc = (await hub.get('/docs-json').expect(200)).body;
    for (const page of ['UserPage', 'GroupPage', 'LicensePlanPage', 'ReclaimableSeatPage']) {
      expect(Object.keys(doc.components.schemas[page].properties)).toEqual(expect.arrayContaining(['synced_at', 'stale', 'source']));
    }
    const userGet = doc.paths['/unified/user-directory/users/{id}'].get.responses['200'];
    expect(Object.keys(userGet.headers)).toEqual(['X-Hub-Synced-At', 'X-Hub-Stale']);
    expect(doc.components.schemas.UnifiedLicensePlanView.properties.product_name).toBeDefined();
    expect(doc.components.schemas.CreateAccountDto.properties.allow_duplicate).toBeDefined();
    expect(doc.paths['/integrated-accounts'].post.responses['409'].description).toMatch(/ACCOUNT_ALREADY_CONNECTED/);
  });

  it('a live read says so: no snapshot, never stale', async () => {
    const { hub } = await fx.jetbrains({ dataset: 'tiny' });
    const { id } = await connectSynced(hub);
    for (const list of ['users', 'groups', 'licenses']) {
      const { body } = await hub.get(`/unified/user-directory/${list}?integrated_account_id=${id}&source=live`).expect(200);
      expect(body).toMatchObject({ synced_at: null, stale: false, source: 'live' });
    }
  });

  it('stale after a failed sync, still naming the snapshot served; fresh again after the next good one', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' });
    const { id, run } = await connectSynced(hub);
    await freshnessOf(hub, id); // fills the page cache: it must not keep `stale` as it was
    sim.faults.update({ script: ['malformed'] });
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    const failed = await waitForLatestRun(hub, id, 'failed');
    expect(failed.finished_at).not.toBe(run.finished_at);
    expect(await freshnessOf(hub, id)).toEqual(everywhere(run.finished_at, true));

    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    const good = await waitForLatestRun(hub, id);
    expect(await freshnessOf(hub, id)).toEqual(everywhere(good.finished_at, false));
  });

  it('stale once the token is revoked (needs_reauth)', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' });
    const { id, run } = await connectSynced(hub);
    await freshnessOf(hub, id);
    sim.api.dataset.tokens = sim.api.dataset.tokens.filter((t) => t.apiKey !== SIM_ADMIN_TOKEN);
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    await waitForLatestRun(hub, id, 'failed');
    expect((await hub.get(`/integrated-accounts/${id}`).expect(200)).body.status).toBe('needs_reauth');
    expect(await freshnessOf(hub, id)).toEqual(everywhere(run.finished_at, true));
  });

  it('stale once the snapshot is older than twice HUB_SYNC_INTERVAL, though nothing failed', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' }, { HUB_SYNC_INTERVAL: '1s' });
    const { id, run } = await connectSynced(hub);
    expect((await freshnessOf(hub, id)).lists.users).toEqual({ synced_at: run.finished_at, stale: false, source: 'snapshot' });
    // The next scheduled runs are slow: the snapshot ages past 2 s while they are still reading.
    sim.faults.update({ latencyMs: 4000 });
    const aged = await eventually(async () => {
      const seen = await freshnessOf(hub, id);
      // Reads run one after another and age is monotonic: wait until the first one read (users) was
      // already stale, or a read that straddled the 2 s mark would show a mix.
      if ((seen.lists.users as { stale: boolean }).stale !== true) throw new Error('not stale yet');
      return seen;
    }, 10_000);
    expect(aged).toEqual(everywhere(run.finished_at, true));
    const account = (await hub.get(`/integrated-accounts/${id}`).expect(200)).body;
    expect(account).toMatchObject({ status: 'active', last_sync_status: 'succeeded', last_synced_at: run.finished_at });
    expect(Date.now() - Date.parse(run.finished_at)).toBeGreaterThan(2000);

    sim.faults.update({ latencyMs: 0 });
    await eventually(async () => {
      const { body } = await hub.get(`/unified/user-directory/users?integrated_account_id=${id}`).expect(200);
      if (body.stale || body.synced_at === run.finished_at) throw new Error('no fresh snapshot yet');
    }, 15_000);
  });
});

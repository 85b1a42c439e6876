import { buildDataset } from '../sandbox/jetbrains/dataset';
import type { JbLicense } from '../src/connectors/jetbrains/jetbrains.types';
import { capturedLogs, connectSynced, eventually, useFixture } from './support/fixture';

/** The tiny dataset with Ada's IntelliJ license carrying its product code but no name. */
function datasetWithUnnamedProduct() {
  const dataset = buildDataset('tiny');
  const ada = dataset.licenses.find((l) => l.licenseId === 'AAAAAAA001')!;
  ada.product = { code: ada.product.code } as JbLicense['product'];
  return dataset;
}

describe('product names beside product codes', () => {
  const fx = useFixture();
  const productReads = (sim: { requests: { url: string }[] }) => sim.requests.filter((r) => new URL(r.url, 'http://x').pathname.endsWith('/products')).length;

  it('JetBrains: a license without a product name is named from GET /products, read once per sync and per live read', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: datasetWithUnnamedProduct() });
    const { id } = await connectSynced(hub);
    expect(productReads(sim)).toBe(1);
    const q = `integrated_account_id=${id}`;

    const ada = (await hub.get(`/unified/user-directory/users/ada@example.com?${q}`).expect(200)).body;
    expect(ada.licenses.find((l: { id: string }) => l.id === 'AAAAAAA001')).toMatchObject({ product_code: 'II', product_name: 'IntelliJ IDEA Ultimate', name: 'IntelliJ IDEA Ultimate' });
    for (const user of (await hub.get(`/unified/user-directory/users?${q}&include_outdated=true`).expect(200)).body.result) {
      for (const license of user.licenses) expect(license.product_name).toEqual(expect.any(String));
    }
    for (const plan of (await hub.get(`/unified/user-directory/licenses?${q}&include_outdated=true`).expect(200)).body.result) {
      expect(plan.product_name).toEqual(expect.any(String));
      expect(plan.name).toBe(plan.product_name);
    }
    const seats = (await hub.get(`/unified/user-directory/reclaimable-seats?${q}&inactive_days=1&include_outdated=true`).expect(200)).body;
    for (const seat of seats.result) expect(seat.product_name).toEqual(expect.any(String));
    for (const product of seats.summary.by_product) expect(product.product_name).toEqual(expect.any(String));

    const live = (await hub.get(`/unified/user-directory/users?${q}&source=live`).expect(200)).body;
    const liveAda = live.result.find((u: { id: string }) => u.id === 'ada@example.com');
    expect(liveAda.licenses.find((l: { id: string }) => l.id === 'AAAAAAA001')).toMatchObject({ product_name: 'IntelliJ IDEA Ultimate' });
    expect(productReads(sim)).toBe(2);
  });

  it('JetBrains: a catalogue that cannot be read leaves product_name null, and the sync succeeds', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: datasetWithUnnamedProduct() });
    const { id } = await connectSynced(hub);
    // A sync's requests, the catalogue read last (after every license page): count them once...
    const before = sim.requests.length;
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    await eventually(async () => expect((await hub.get(`/integrated-accounts/${id}/syncs`).expect(200)).body.result[0].status).toBe('succeeded'));
    const perSync = sim.requests.length - before;
    // ...then let all but the last answer well, and the catalogue answer garbage.
    sim.faults.update({ script: [...Array(perSync - 1).fill('ok'), 'malformed'] });
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    await eventually(async () => {
      const runs = (await hub.get(`/integrated-accounts/${id}/syncs`).expect(200)).body.result;
      expect(runs).toHaveLength(3);
      expect(runs[0].status).toBe('succeeded');
    });
    const ada = (await hub.get(`/unified/user-directory/users/ada@example.com?integrated_account_id=${id}`).expect(200)).body;
    expect(ada.licenses.find((l: { id: string }) => l.id === 'AAAAAAA001')).toMatchObject({ product_code: 'II', product_name: null });
    expect(capturedLogs.some((l) => /product names unavailable \(UPSTREAM_MALFORMED_RESPONSE\)/.test(l))).toBe(true);
  });

  it('JetBrains: licenses that carry their product names need no catalogue read', async () => {
    const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' });
    const { id } = await connectSynced(hub);
    const plans = (await hub.get(`/unified/user-directory/licenses?integrated_account_id=${id}`).expect(200)).body.result;
    expect(plans.every((p: { product_name: string | null }) => typeof p.product_name === 'string')).toBe(true);
    expect(productReads(sim)).toBe(0);
  });

  it('Atlassian: the product access name, in users and plans', async () => {
    const { hub } = await fx.atlassian({ dataset: 'tiny' });
    const { id } = await connectSynced(hub, { integration: 'atlassian' });
    const users = (await hub.get(`/unified/user-directory/users?integrated_account_id=${id}`).expect(200)).body.result;
    const licenses = users.flatMap((u: { licenses: unknown[] }) => u.licenses);
    expect(licenses.length).toBeGreaterThan(0);
    for (const license of licenses) expect(license.product_name).toEqual(expect.any(String));
    for (const plan of (await hub.get(`/unified/user-directory/licenses?integrated_account_id=${id}`).expect(200)).body.result) {
      expect(plan).toMatchObject({ product_name: expect.any(String), name: plan.product_name });
    }
  });
});

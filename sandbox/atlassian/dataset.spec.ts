import { compareIds } from '../../src/connector-kit/mapping-helpers';
import { ACME_SITES, buildAtlassianDataset, SIM_ATL_ORG_ID, SimAtlUser, toV1, toV2 } from './dataset';

/** The datasets must look like a real organization's directory, not like test fixtures. */
describe.each(['tiny', '1k'])('Atlassian dataset %s', (name) => {
  const dataset = buildAtlassianDataset(name);
  const users: SimAtlUser[] = dataset.users[SIM_ATL_ORG_ID]!;
  const sites = dataset.sites[SIM_ATL_ORG_ID]!;
  const v1 = users.filter((u) => u.claimStatus === 'managed').map((u) => toV1(u, sites));

  it('has unique account ids, listed in an order that is not id order', () => {
    const ids = users.map((u) => u.accountId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort(compareIds)).not.toEqual(ids);
  });

  it('hides some emails, managed and unmanaged, in v1 and v2 alike', () => {
    const hidden = users.filter((u) => !u.email && u.accountType === 'atlassian');
    expect(hidden.some((u) => u.claimStatus === 'managed')).toBe(true);
    expect(hidden.some((u) => u.claimStatus === 'unmanaged')).toBe(true);
    expect(v1.some((u) => !('email' in u))).toBe(true);
    expect(users.map((u) => toV2(u, new Set(), [], sites)).some((u) => !('email' in u))).toBe(true);
  });

  it('has bots (app accounts, no email) and customer accounts', () => {
    const apps = users.filter((u) => u.accountType === 'app');
    expect(apps.length).toBeGreaterThanOrEqual(2);
    expect(apps.every((u) => !u.email)).toBe(true);
    expect(users.filter((u) => u.accountType === 'customer').length).toBeGreaterThanOrEqual(2);
    expect(new Set(v1.map((u) => u.account_type))).toEqual(new Set(['atlassian', 'app', 'customer']));
  });

  it('gives some people many products, on more than one site', () => {
    const most = Math.max(...v1.map((u) => u.product_access.length));
    expect(most).toBeGreaterThanOrEqual(5);
    expect(v1.some((u) => new Set(u.product_access.map((a) => a.url)).size > 1)).toBe(true);
    expect(new Set(v1.flatMap((u) => u.product_access.map((a) => a.url)))).toEqual(new Set(sites.map((s) => s.url)));
  });

  it('has realistic names: accents, apostrophes, a single name, an empty name', () => {
    const names = users.map((u) => u.name);
    expect(names.some((n) => /[^\x00-\x7f]/.test(n))).toBe(true);
    expect(names.some((n) => n.includes("'"))).toBe(true);
    expect(names.some((n) => n && !n.includes(' '))).toBe(true);
    if (name === 'tiny') expect(names).toContain('');
  });
});

describe('Atlassian tiny dataset sites', () => {
  it('writes product urls in both plausible forms and v2 instance ids per site', () => {
    const dataset = buildAtlassianDataset('tiny');
    const zoe = dataset.users[SIM_ATL_ORG_ID]!.find((u) => u.accountId === '712020:b4e2d1f0-zoe')!;
    expect(toV1(zoe, ACME_SITES).product_access.filter((a) => a.key === 'jira-software').map((a) => a.url)).toEqual(['acme.atlassian.net', 'https://acme-labs.atlassian.net']);
    expect(toV2(zoe, new Set(['productAccess']), [], ACME_SITES).productAccess!.filter((a) => a.key === 'jira-software').map((a) => a.id)).toEqual(ACME_SITES.map((s) => s.cloudId));
  });
});

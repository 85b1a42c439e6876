import { instanceKey, normalizeSite, placeInstances, sitesOf } from './atlassian.sites';
import type { AtlUserV1, AtlUserV2 } from './atlassian.types';

const v1 = (id: string, access: [string, string | undefined][]): AtlUserV1 => ({
  account_id: id,
  account_type: 'atlassian',
  account_status: 'active',
  name: id,
  picture: 'https://x/p.png',
  product_access: access.map(([key, url]) => ({ key, name: key, ...(url === undefined ? {} : { url }) })),
});
const v2 = (id: string, access: [string, string][]): AtlUserV2 => ({
  accountId: id,
  accountType: 'atlassian',
  status: 'active',
  accountStatus: 'active',
  membershipStatus: 'active',
  name: id,
  claimStatus: 'managed',
  productAccess: access.map(([key, instance]) => ({ key, id: instance })),
});

describe('Atlassian sites', () => {
  it.each([
    ['https://acme.atlassian.net', 'https://acme.atlassian.net'],
    ['https://acme.atlassian.net/', 'https://acme.atlassian.net'],
    ['acme.atlassian.net', 'https://acme.atlassian.net'],
    ['  ACME.Atlassian.NET/ ', 'https://acme.atlassian.net'],
    ['HTTPS://Acme.atlassian.net', 'https://acme.atlassian.net'],
    ['http://acme.atlassian.net', 'https://acme.atlassian.net'],
    ['127.0.0.1:8443', 'https://127.0.0.1:8443'],
  ])('normalises %j to %s', (input, expected) => {
    expect(normalizeSite(input)).toBe(expected);
  });

  it.each(['', '   ', 'acme', 'https://acme.atlassian.net/jira', 'https://acme.atlassian.net?x=1', 'ftp://acme.atlassian.net', 'https://user@acme.atlassian.net', 'acme atlassian.net'])(
    'refuses %j as a site',
    (input) => {
      expect(normalizeSite(input)).toBeNull();
    },
  );

  it('lists the sites of v1 product access, however written, once each', () => {
    expect(sitesOf([v1('a', [['jira-software', 'acme.atlassian.net'], ['confluence', 'https://Acme.atlassian.net/']]), v1('b', [['trello', undefined], ['jira-software', 'https://labs.atlassian.net']])])).toEqual([
      'https://acme.atlassian.net',
      'https://labs.atlassian.net',
    ]);
  });

  it('places v2 instances on sites from people in both lists, leaving ambiguous ones unplaced', () => {
    const placed = placeInstances(
      [
        v1('a', [['jira-software', 'acme.atlassian.net'], ['confluence', 'labs.atlassian.net']]),
        // two Jira sites and two Jira instances: which is which cannot be told from this person
        v1('b', [['jira-software', 'acme.atlassian.net'], ['jira-software', 'labs.atlassian.net']]),
        v1('c', [['opsgenie', 'acme.atlassian.net']]),
        v1('d', [['opsgenie', 'labs.atlassian.net']]),
      ],
      [v2('a', [['jira-software', 'i-1'], ['confluence', 'i-2']]), v2('b', [['jira-software', 'i-1'], ['jira-software', 'i-9']]), v2('c', [['opsgenie', 'o-1']]), v2('d', [['opsgenie', 'o-1']]), v2('x', [['trello', 't-1']])],
    );
    expect(Object.fromEntries(placed)).toEqual({
      [instanceKey('jira-software', 'i-1')]: 'https://acme.atlassian.net',
      [instanceKey('confluence', 'i-2')]: 'https://labs.atlassian.net',
    });
  });
});

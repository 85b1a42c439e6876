import type { AtlUserV1, AtlUserV2 } from './atlassian.types';

/**
 * Sites (cloud instances such as https://acme.atlassian.net) of an organization. v1 writes each
 * product's site in `product_access[].url`, in a form the reference does not pin down (a bare
 * host in its example); people type it with or without scheme, slash or capitals. Both sides are
 * brought to one form, `https://host`, before they are compared.
 */
export function normalizeSite(input: string | undefined | null): string | null {
  const trimmed = input?.trim();
  if (!trimmed) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  // A site is a host: a path, query, credentials or another scheme mean it was not typed as one.
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash) return null;
  if (url.pathname !== '/' && url.pathname !== '') return null;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(url.hostname)) return null;
  return `https://${url.host}`;
}

/** `normalizeSite` remembering its answers: a list repeats the same few urls thousands of times. */
export function siteReader(): (url: string | undefined) => string | null {
  const known = new Map<string, string | null>();
  return (url) => {
    if (!url) return null;
    let site = known.get(url);
    if (site === undefined) known.set(url, (site = normalizeSite(url)));
    return site;
  };
}

/** Every site the given v1 users have product access on, normalised and sorted. */
export function sitesOf(users: AtlUserV1[]): string[] {
  const siteOf = siteReader();
  const sites = new Set<string>();
  for (const user of users) for (const access of user.product_access ?? []) {
    const site = siteOf(access.url);
    if (site) sites.add(site);
  }
  return [...sites].sort();
}

/** The key under which a v2 product access entry is placed on a site. */
export const instanceKey = (productKey: string, instanceId: string) => `${productKey} ${instanceId}`;

/**
 * Which site each v2 product instance is on. v2 `productAccess[]` carries an instance id but no
 * url, so the site is learnt from people present in both lists: when a person has product `key`
 * on exactly one site in v1 and one instance in v2, that instance is on that site. An instance
 * seen on two different sites stays unplaced rather than guessed.
 */
export function placeInstances(v1Users: AtlUserV1[], v2Users: AtlUserV2[], siteOf = siteReader()): Map<string, string> {
  const v1ById = new Map(v1Users.map((u) => [u.account_id, u]));
  const placed = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const v2 of v2Users) {
    const v1 = v1ById.get(v2.accountId);
    if (!v1) continue;
    const instancesByKey = group(v2.productAccess ?? [], (a) => a.key, (a) => a.id);
    const sitesByKey = group(v1.product_access ?? [], (a) => a.key, (a) => siteOf(a.url));
    for (const [key, instances] of instancesByKey) {
      const sites = sitesByKey.get(key);
      if (instances.size !== 1 || sites?.size !== 1) continue;
      const instance = instanceKey(key, [...instances][0]!);
      const site = [...sites][0]!;
      const known = placed.get(instance);
      if (known !== undefined && known !== site) conflicting.add(instance);
      placed.set(instance, site);
    }
  }
  for (const instance of conflicting) placed.delete(instance);
  return placed;
}

function group<T>(items: T[], keyOf: (item: T) => string, valueOf: (item: T) => string | null): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const item of items) {
    const value = valueOf(item);
    if (value === null) continue;
    const key = keyOf(item);
    groups.set(key, (groups.get(key) ?? new Set()).add(value));
  }
  return groups;
}

import { HubError } from '../../common/errors';
import type { Credentials } from '../../connector-kit';
import type { AtlassianClient } from './atlassian.client';
import { normalizeSite, sitesOf } from './atlassian.sites';
import type { AtlOrg } from './atlassian.types';

const FIELD = 'credentials.site';
/**
 * Pages of v1 users a connect reads at most looking for the site (about 10,000 users): a connect
 * answers while someone waits, and a mistyped site would otherwise walk a large organization's whole
 * user list. A real site shows up on its first users' product access, almost always on page one.
 */
export const SITE_SEARCH_PAGES = 100;

/**
 * Checks at connect that `credentials.site` is a site of the organization and returns it
 * normalised (`https://host`), to be stored that way. The Admin API lists no sites; they are read
 * from v1 product access, page by page until the site turns up (the whole list, up to
 * SITE_SEARCH_PAGES, only when it never does, to name the sites there are).
 */
export async function verifySite(client: AtlassianClient, baseUrl: string, credentials: Credentials, org: AtlOrg, v1Readable: boolean): Promise<string> {
  const site = normalizeSite(credentials.site);
  if (!site) {
    throw new HubError('VALIDATION_FAILED', `${FIELD} (Atlassian site) must be a site address like https://your-domain.atlassian.net`, { details: { field: FIELD } });
  }
  if (!v1Readable) {
    throw new HubError(
      'VALIDATION_FAILED',
      `${FIELD} needs an API key with the read:accounts:admin scope: only the v1 user list says which site a product is on. Add the scope, or leave the site empty.`,
      { details: { field: FIELD } },
    );
  }
  const seen = new Set<string>();
  let pages = 0;
  await client.all(
    (cursor) => client.v1UsersPage(baseUrl, credentials, org.id, cursor),
    undefined,
    (users) => {
      pages += 1;
      for (const s of sitesOf(users)) seen.add(s);
      return seen.has(site) || pages >= SITE_SEARCH_PAGES;
    },
  );
  if (seen.has(site)) return site;
  const partly = pages >= SITE_SEARCH_PAGES ? ` (among the product access of its first ${pages} pages of users)` : '';
  const sites = [...seen].sort();
  const name = org.attributes?.name ? `${org.attributes.name} (${org.id})` : org.id;
  // The submitted value is not quoted: credential values are redacted from every message, and the
  // caller knows what they sent.
  throw new HubError(
    'VALIDATION_FAILED',
    sites.length
      ? `${FIELD} is not a site of the organization ${name}${partly}; its sites are: ${sites.join(', ')}`
      : `${FIELD} is not a site of the organization ${name}, which reports no site for its products${partly}; leave the site empty`,
    { details: { field: FIELD, sites, ...(partly ? { searched_pages: pages } : {}) } },
  );
}

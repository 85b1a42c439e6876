import type { JsonRequest, JsonResponse, UpstreamHttp } from '../../connector-kit';
import { AtlassianClient } from './atlassian.client';
import { SITE_SEARCH_PAGES, verifySite } from './atlassian.site-check';
import type { AtlOrg } from './atlassian.types';

const ORG = { id: 'org-1', attributes: { name: 'Acme' } } as unknown as AtlOrg;

/**
 * v1 user pages, without end or `lastPage` of them: each user has access to Jira on
 * acme.atlassian.net, the one on page `siteOnPage` to Confluence on beta.atlassian.net too.
 */
function endlessOrg(siteOnPage: number | null, lastPage?: number): { client: AtlassianClient; requests: () => number } {
  let requests = 0;
  const http = {
    json: async (req: JsonRequest): Promise<JsonResponse<unknown>> => {
      requests += 1;
      const page = Number(new URL(req.url).searchParams.get('cursor') ?? 1);
      const access = [{ key: 'jira-software', url: 'acme.atlassian.net' }, ...(page === siteOnPage ? [{ key: 'confluence', url: 'beta.atlassian.net' }] : [])];
      const data = [{ account_id: `u${page}`, email: `u${page}@acme.example`, product_access: access }];
      const next = page === lastPage ? undefined : `https://api.atlassian.com/admin/v1/orgs/org-1/users?cursor=${page + 1}`;
      return { status: 200, headers: {}, body: { data, links: { next } } };
    },
  } as unknown as UpstreamHttp;
  return { client: new AtlassianClient(http), requests: () => requests };
}

describe('verifySite', () => {
  const credentials = (site: string) => ({ api_key: 'k', site });

  it('stops at the page where the site turns up', async () => {
    const { client, requests } = endlessOrg(3);
    await expect(verifySite(client, 'http://127.0.0.1:1', credentials('https://beta.atlassian.net/'), ORG, true)).resolves.toBe('https://beta.atlassian.net');
    expect(requests()).toBe(3);
  });

  it('finds a site on the last page, and in an organization of one page', async () => {
    for (const [siteOnPage, lastPage] of [[3, 3], [1, 1]]) {
      const { client, requests } = endlessOrg(siteOnPage!, lastPage);
      await expect(verifySite(client, 'http://127.0.0.1:1', credentials('beta.atlassian.net'), ORG, true)).resolves.toBe('https://beta.atlassian.net');
      expect(requests()).toBe(lastPage);
    }
    const { client } = endlessOrg(null, 1);
    await expect(verifySite(client, 'http://127.0.0.1:1', credentials('https://acme.atlassian.net'), ORG, true)).resolves.toBe('https://acme.atlassian.net');
  });

  it(`reads at most ${SITE_SEARCH_PAGES} pages for a site that never turns up, and says how far it looked`, async () => {
    const { client, requests } = endlessOrg(null);
    const refused = await verifySite(client, 'http://127.0.0.1:1', credentials('https://typo.atlassian.net'), ORG, true).catch((error: unknown) => error);
    expect(requests()).toBe(SITE_SEARCH_PAGES);
    expect(refused).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: `credentials.site is not a site of the organization Acme (org-1) (among the product access of its first ${SITE_SEARCH_PAGES} pages of users); its sites are: https://acme.atlassian.net`,
      details: { field: 'credentials.site', sites: ['https://acme.atlassian.net'], searched_pages: SITE_SEARCH_PAGES },
    });
  });
});

import { Inject, Injectable } from '@nestjs/common';
import { NO_TENANT, tenantToRead, Viewer } from '../auth/principal';
import { CursorCodec } from '../common/cursor-codec';
import { HubError } from '../common/errors';
import { Page, pageLimit } from '../common/list-query.dto';
import { latestDate } from '../connector-kit';
import type { PersonInAccount } from '../connector-kit';
import { PeopleRepository, PersonEntry } from '../store/people.repository';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { snapshotFreshness } from './freshness';
import type { PeopleQuery, PersonView } from './people.dto';

/** People are not in one account: their cursors are bound to this pseudo account. */
const ALL_ACCOUNTS = '*';

/** "What does alice@ hold, everywhere?": people joined by email across every account's current snapshot. */
@Injectable()
export class PeopleService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly people: PeopleRepository,
    private readonly cursors: CursorCodec,
  ) {}

  /** People of the accounts `viewer` sees (one tenant's: joined within it); the cursor is bound to the viewer's tenant. */
  async list(query: PeopleQuery, viewer: Viewer): Promise<Page<PersonView>> {
    // The cursor is bound to the filters too: a next page is of the same list.
    const filters = new URLSearchParams();
    for (const name of ['tenant_id', 'search', 'product_code', 'status'] as const) if (query[name] !== undefined) filters.set(name, query[name]!);
    const resource = filters.size === 0 ? 'people' : `people?${filters}`;
    const bound = { account: ALL_ACCOUNTS, resource, tenant: viewer.tenantId };
    const cursor = query.next_cursor ? this.cursors.decode(query.next_cursor, bound) : null;
    const after = cursor?.k ?? null;
    const limit = pageLimit(query.limit, cursor);
    const tenant = tenantToRead(viewer, query.tenant_id);
    if (tenant === NO_TENANT) return { result: [], next_cursor: null, result_count: 0 };
    const filter = { email: query.email?.toLowerCase(), search: query.search, productCode: query.product_code, status: query.status };
    const emails = await this.people.emails(after, limit, filter, tenant);
    const page = emails.slice(0, limit);
    const result = toPeople(await this.people.entries(page, tenant), this.config.syncIntervalMs);
    const last = page[page.length - 1];
    return {
      result,
      next_cursor: emails.length > limit && last ? this.cursors.encode({ a: ALL_ACCOUNTS, r: resource, t: viewer.tenantId, k: last, l: limit }) : null,
      result_count: result.length,
    };
  }

  async get(email: string, viewer: Viewer, tenantFilter?: string): Promise<PersonView> {
    const tenant = tenantToRead(viewer, tenantFilter);
    const entries = tenant === NO_TENANT ? [] : await this.people.entries([email.trim().toLowerCase()], tenant);
    const [person] = toPeople(entries, this.config.syncIntervalMs);
    if (!person) throw new HubError('PERSON_NOT_FOUND', `No person with the email ${JSON.stringify(email)} in any integrated account`);
    return person;
  }
}

/** Entries (ordered by email, then account) grouped into one view per person. */
function toPeople(entries: PersonEntry[], syncIntervalMs: number, now = Date.now()): PersonView[] {
  const people: PersonView[] = [];
  for (const entry of entries) {
    let person = people[people.length - 1];
    if (person?.email !== entry.email) {
      person = { email: entry.email, name: null, last_active_at: null, products: [], accounts: [] };
      people.push(person);
    }
    const data = JSON.parse(entry.data) as PersonInAccount;
    const { synced_at, stale } = snapshotFreshness(entry, syncIntervalMs, now);
    person.accounts.push({ integrated_account_id: entry.account_id, integration: entry.integration, ...data, synced_at, stale });
    person.name ??= data.name;
    person.last_active_at = latestDate([person.last_active_at, data.last_active_at]);
    for (const license of data.licenses) {
      if (!person.products.some((p) => p.product_code === license.product_code && p.integration === entry.integration)) {
        person.products.push({ product_code: license.product_code, product_name: license.product_name, integration: entry.integration });
      }
    }
  }
  for (const person of people) person.products.sort((a, b) => (a.product_code < b.product_code ? -1 : a.product_code > b.product_code ? 1 : 0));
  return people;
}

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import type { Person } from '../api/types';
import { Show, useLoad } from '../components/async';
import { when } from '../format';
import { href } from '../router';

const PAGE_SIZE = 50;
/** The statuses the connectors give people (JetBrains: active, suspended; Atlassian: active, inactive, closed). */
const STATUSES = ['active', 'suspended', 'inactive', 'closed'];

/** A person's statuses across accounts, e.g. "active" or "active, suspended". */
export function statuses(person: Person): string[] {
  return [...new Set(person.accounts.map((a) => a.status))].sort();
}

/** Every product people hold here, for the filter: read from the accounts' plans. */
async function knownProducts(): Promise<[string, string][]> {
  const accounts = await ok(api.GET('/integrated-accounts', { params: { query: { limit: 200 } } }));
  const products = new Map<string, string>();
  for (const account of accounts.result) {
    const plans = await ok(api.GET('/unified/user-directory/licenses', { params: { query: { integrated_account_id: account.id, limit: 200 } } })).catch(() => null);
    for (const plan of plans?.result ?? []) products.set(plan.product_code, plan.product_name ?? plan.product_code);
  }
  return [...products.entries()].sort((a, b) => a[1].localeCompare(b[1]));
}

/** Waits until typing pauses before asking the hub. */
function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

export function PeoplePage() {
  const [search, setSearch] = useState('');
  const [product, setProduct] = useState('');
  const [status, setStatus] = useState('');
  const [products] = useLoad(knownProducts, []);
  const term = useDebounced(search.trim());
  return (
    <>
      <h1 tabIndex={-1}>People</h1>
      <form class="filters" role="search" aria-label="Filter people" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="people-search">Search</label>
          <input id="people-search" type="search" value={search} maxLength={100} onInput={(e) => setSearch(e.currentTarget.value)} aria-describedby="people-search-help" />
          <p class="hint" id="people-search-help">Part of an email or a name.</p>
        </div>
        <div class="field">
          <label for="people-product">Product</label>
          <select id="people-product" value={product} onChange={(e) => setProduct(e.currentTarget.value)}>
            <option value="">Any product</option>
            {products.state === 'done' && products.data.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="people-status">Status</label>
          <select id="people-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
      </form>
      {/* A new filter starts again at the first page. */}
      <PeopleTable key={`${term}|${product}|${status}`} search={term} product={product} status={status} />
    </>
  );
}

function PeopleTable({ search, product, status }: { search: string; product: string; status: string }) {
  // The cursors of the pages seen so far: going back is popping one.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const filters = { ...(search ? { search } : {}), ...(product ? { product_code: product } : {}), ...(status ? { status } : {}) };
  const [page] = useLoad(() => ok(api.GET('/unified/user-directory/people', { params: { query: { limit: PAGE_SIZE, next_cursor: cursor, ...filters } } })), [cursor]);
  return (
    <Show loaded={page}>
      {(data) => (
        <>
          <p aria-live="polite">{`Page ${cursors.length}: ${data.result_count} ${data.result_count === 1 ? 'person' : 'people'}${data.next_cursor ? ', more on the next page' : ''}`}</p>
          <table>
            <caption class="sr-only">People</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Products</th>
                <th scope="col">Status</th>
                <th scope="col">Last active</th>
                <th scope="col">Accounts</th>
              </tr>
            </thead>
            <tbody>
              {data.result.map((person) => (
                <tr key={person.email}>
                  <td><a href={href('people', person.email)}>{person.email}</a></td>
                  <td>{person.name ?? '—'}</td>
                  <td>{person.products.map((p) => p.product_name ?? p.product_code).join(', ') || '—'}</td>
                  <td>{statuses(person).join(', ')}</td>
                  <td>{when(person.last_active_at)}</td>
                  <td>{person.accounts.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="People pages">
            <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              Previous page
            </button>
            <button type="button" disabled={!data.next_cursor} onClick={() => setCursors([...cursors, data.next_cursor!])}>
              Next page
            </button>
          </nav>
        </>
      )}
    </Show>
  );
}

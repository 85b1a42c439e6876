import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import type { Person } from '../api/types';
import { Show, useLoad } from '../components/async';
import { when } from '../format';
import { href } from '../router';

const PAGE_SIZE = 50;

/** A person's statuses across accounts, e.g. "active" or "active, suspended". */
export function statuses(person: Person): string[] {
  return [...new Set(person.accounts.map((a) => a.status))].sort();
}

export function PeoplePage() {
  // The cursors of the pages seen so far: going back is popping one.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [search, setSearch] = useState('');
  const [product, setProduct] = useState('');
  const [status, setStatus] = useState('');
  const cursor = cursors[cursors.length - 1];
  const email = search.includes('@') && /^\S+@\S+\.\S+$/.test(search.trim()) ? search.trim() : undefined;
  const [page] = useLoad(
    () => ok(api.GET('/unified/user-directory/people', { params: { query: { limit: PAGE_SIZE, next_cursor: cursor, email } } })),
    [cursor, email],
  );
  const restart = () => setCursors([undefined]);
  const needle = search.trim().toLowerCase();

  return (
    <>
      <h1 tabIndex={-1}>People</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="people-search">Search</label>
          <input id="people-search" type="search" value={search} onInput={(e) => (setSearch(e.currentTarget.value), restart())} aria-describedby="people-search-help" />
          <p class="hint" id="people-search-help">A full email asks the hub for that person; other text filters the page shown by email or name.</p>
        </div>
        <Show loaded={page}>
          {(data) => (
            <>
              <div class="field">
                <label for="people-product">Product</label>
                <select id="people-product" value={product} onChange={(e) => setProduct(e.currentTarget.value)}>
                  <option value="">Any product</option>
                  {[...new Map(data.result.flatMap((p) => p.products).map((p) => [p.product_code, p.product_name ?? p.product_code])).entries()].map(([code, name]) => (
                    <option key={code} value={code}>{name}</option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="people-status">Status</label>
                <select id="people-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
                  <option value="">Any status</option>
                  {[...new Set(data.result.flatMap(statuses))].sort().map((s) => (
                    <option key={s} value={s}>{s}</option>
                  ))}
                </select>
              </div>
            </>
          )}
        </Show>
      </form>
      <Show loaded={page}>
        {(data) => {
          const rows = data.result.filter(
            (p) =>
              (email !== undefined || needle === '' || p.email.includes(needle) || (p.name ?? '').toLowerCase().includes(needle)) &&
              (product === '' || p.products.some((x) => x.product_code === product)) &&
              (status === '' || statuses(p).includes(status)),
          );
          return (
            <>
              <p aria-live="polite">{`Page ${cursors.length}: ${rows.length} of ${data.result_count} people shown`}</p>
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
                  {rows.map((person) => (
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
          );
        }}
      </Show>
    </>
  );
}

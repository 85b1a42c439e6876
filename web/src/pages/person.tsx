import { api } from '../api/client';
import { ok } from '../api/errors';
import { Show, useLoad } from '../components/async';
import { when } from '../format';
import { href } from '../router';

export function PersonPage({ email }: { email: string }) {
  const [person] = useLoad(() => ok(api.GET('/unified/user-directory/people/{email}', { params: { path: { email } } })), [email]);
  return (
    <Show loaded={person}>
      {(p) => (
        <>
          <p class="crumbs">
            <a href={href('people')}>People</a> / {p.email}
          </p>
          <h1 tabIndex={-1}>{p.name ?? p.email}</h1>
          <dl class="facts">
            <div><dt>Email</dt><dd>{p.email}</dd></div>
            <div><dt>Last active</dt><dd>{when(p.last_active_at)}</dd></div>
            <div><dt>Products</dt><dd>{p.products.map((x) => x.product_name ?? x.product_code).join(', ') || '—'}</dd></div>
          </dl>
          <h2>Everything {p.email} holds</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">User id</th>
                <th scope="col">Status</th>
                <th scope="col">Last active</th>
                <th scope="col">Licenses</th>
                <th scope="col">Data from</th>
              </tr>
            </thead>
            <tbody>
              {p.accounts.map((a) => (
                <tr key={`${a.integrated_account_id}/${a.user_id}`}>
                  <td><a href={href('accounts', a.integrated_account_id)}>{a.integration}</a></td>
                  <td>{a.user_id}</td>
                  <td>{a.status}</td>
                  <td>{when(a.last_active_at)}</td>
                  <td>
                    {a.licenses.length === 0
                      ? 'none'
                      : a.licenses.map((l) => `${l.product_name ?? l.product_code} (last active ${when(l.last_active_at)})`).join('; ')}
                  </td>
                  <td>{when(a.synced_at)}{a.stale ? ' (stale)' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Show>
  );
}

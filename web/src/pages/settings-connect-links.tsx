import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import { everyPage } from '../api/pages';
import { listIntegrations } from '../api/integrations';
import type { ConnectLink, Session } from '../api/types';
import { ErrorBox, Show, useAction, useLoad } from '../components/async';
import { Confirm } from '../components/confirm';
import { ShownOnce } from '../components/shown-once';
import { when } from '../format';

/** Every link this key may see, newest first (the API lists them oldest first). */
async function allLinks(): Promise<ConnectLink[]> {
  const links = await everyPage((cursor) => ok(api.GET('/connect-sessions', { params: { query: { limit: 200, next_cursor: cursor } } })));
  return links.reverse();
}

/** A link for an end customer to connect one account into a tenant, without a key. */
export function ConnectLinksSection({ session }: { session: Session }) {
  const [integrations] = useLoad(listIntegrations, []);
  const [tenant, setTenant] = useState(session.key.tenant_id ?? '');
  const [allowed, setAllowed] = useState<string[]>([]);
  const [minutes, setMinutes] = useState('30');
  const [link, setLink] = useState<{ url: string; expires_at: string } | null>(null);
  const [links, reload] = useLoad(allLinks, []);
  const [revoking, setRevoking] = useState<ConnectLink | null>(null);
  const [act, busy, error] = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      const body = { tenant_id: tenant.trim(), ...(allowed.length ? { integrations: allowed } : {}), expires_in: Math.round(Number(minutes) * 60) };
      const created = await ok(api.POST('/connect-sessions', { body }));
      setLink({ url: created.url, expires_at: created.expires_at });
      reload();
    });
  };
  return (
    <section aria-labelledby="links-heading" class="panel">
      <h2 id="links-heading">Connect links</h2>
      <form class="inline-form" onSubmit={create} aria-label="Create a connect link">
        <div class="field">
          <label for="link-tenant">Tenant</label>
          <input id="link-tenant" required readOnly={session.key.tenant_id !== null} value={tenant} onInput={(e) => setTenant(e.currentTarget.value)} />
        </div>
        <Show loaded={integrations}>
          {(list) => (
            <fieldset>
              <legend>Integrations (none ticked: all)</legend>
              {list.map((i) => (
                <label key={i.id} class="choice">
                  <input
                    type="checkbox"
                    checked={allowed.includes(i.id)}
                    onChange={(e) => setAllowed(e.currentTarget.checked ? [...allowed, i.id] : allowed.filter((x) => x !== i.id))}
                  />
                  {i.name}
                </label>
              ))}
            </fieldset>
          )}
        </Show>
        <div class="field">
          <label for="link-minutes">Valid for (minutes)</label>
          <input id="link-minutes" type="number" min={1} max={1440} value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
        </div>
        <button type="submit" class="primary" disabled={busy || tenant.trim() === ''}>
          Create link
        </button>
      </form>
      <ErrorBox error={error} />
      {link && <ShownOnce label="Connect link" value={link.url} note={`Send it to the customer; it works once, until ${when(link.expires_at)}. The hub keeps only its hash.`} />}
      <Show loaded={links}>
        {(list) => (
          <table>
            <caption class="sr-only">Connect links</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Tenant</th>
                <th scope="col">Integrations</th>
                <th scope="col">Status</th>
                <th scope="col">Until</th>
                <th scope="col"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((l) => (
                <tr key={l.id}>
                  <td>{when(l.created_at)}</td>
                  <td>{l.tenant_id}</td>
                  <td>{l.integrations?.join(', ') ?? 'all'}</td>
                  <td>{l.status}</td>
                  <td>{when(l.expires_at)}</td>
                  <td>
                    {l.status === 'active' && (
                      <button type="button" class="danger" aria-label={`Withdraw the link of ${when(l.created_at)} for ${l.tenant_id}`} onClick={() => setRevoking(l)}>
                        Withdraw
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
      {revoking && (
        <Confirm
          title={`Withdraw the link for ${revoking.tenant_id}?`}
          confirmLabel="Withdraw link"
          onCancel={() => setRevoking(null)}
          onConfirm={() => {
            const id = revoking.id;
            setRevoking(null);
            void act(async () => {
              await ok(api.DELETE('/connect-sessions/{id}', { params: { path: { id } } }));
              reload();
            });
          }}
        >
          <p>Whoever holds it can no longer connect an account with it.</p>
        </Confirm>
      )}
    </section>
  );
}

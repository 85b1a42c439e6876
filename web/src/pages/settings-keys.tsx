import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import { everyPage } from '../api/pages';
import type { ApiKey } from '../api/types';
import { ErrorBox, Show, useAction, useLoad } from '../components/async';
import { Confirm } from '../components/confirm';
import { ShownOnce } from '../components/shown-once';
import { when } from '../format';

function allKeys(): Promise<ApiKey[]> {
  return everyPage((cursor) => ok(api.GET('/api-keys', { params: { query: { limit: 200, next_cursor: cursor } } })));
}

export function ApiKeysSection() {
  const [keys, reload] = useLoad(allKeys, []);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'admin'>('read');
  const [tenant, setTenant] = useState('');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [act, busy, error] = useAction();

  const create = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      const body = { name: name.trim(), scope, ...(tenant.trim() ? { tenant_id: tenant.trim() } : {}), ...(expires ? { expires_at: new Date(`${expires}T00:00:00Z`).toISOString() } : {}) };
      const key = await ok(api.POST('/api-keys', { body }));
      setCreated({ name: key.name, key: key.key });
      setName('');
      reload();
    });
  };

  return (
    <section aria-labelledby="keys-heading" class="panel">
      <h2 id="keys-heading">API keys</h2>
      <form class="inline-form" onSubmit={create} aria-label="Create an API key">
        <div class="field">
          <label for="key-name">Key name</label>
          <input id="key-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="key-scope">Scope</label>
          <select id="key-scope" value={scope} onChange={(e) => setScope(e.currentTarget.value as 'read' | 'admin')}>
            <option value="read">read: look only</option>
            <option value="admin">admin: connect, sync, change</option>
          </select>
        </div>
        <div class="field">
          <label for="key-tenant">Tenant (optional)</label>
          <input id="key-tenant" value={tenant} onInput={(e) => setTenant(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="key-expires">Expires on (optional)</label>
          <input id="key-expires" type="date" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />
        </div>
        <button type="submit" class="primary" disabled={busy || name.trim() === ''}>
          Create key
        </button>
      </form>
      <ErrorBox error={error} />
      {created && <ShownOnce label={`New key “${created.name}”`} value={created.key} note="Copy it now: the hub keeps only its hash and will not show it again." />}
      <Show loaded={keys}>
        {(list) => (
          <table>
            <caption class="sr-only">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Tenant</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>{key.scope}</td>
                  <td>{key.tenant_id ?? '—'}</td>
                  <td><code>{key.prefix}</code></td>
                  <td>{when(key.created_at)}</td>
                  <td>{when(key.expires_at)}</td>
                  <td>{when(key.last_used_at)}</td>
                  <td>
                    <button type="button" class="danger" aria-label={`Revoke ${key.name}`} onClick={() => setRevoking(key)}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
      {revoking && (
        <Confirm
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke key"
          onCancel={() => setRevoking(null)}
          onConfirm={() => {
            const id = revoking.id;
            setRevoking(null);
            void act(async () => {
              await ok(api.DELETE('/api-keys/{id}', { params: { path: { id } } }));
              reload();
            });
          }}
        >
          <p>Every client using it is refused from the next request on, and its sessions end.</p>
        </Confirm>
      )}
    </section>
  );
}

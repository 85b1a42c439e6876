import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import { listIntegrations } from '../api/integrations';
import type { Session } from '../api/types';
import { ErrorBox, Show, useAction, useLoad } from '../components/async';
import { ShownOnce } from '../components/shown-once';
import { when } from '../format';

/** A link for an end customer to connect one account into a tenant, without a key. */
export function ConnectLinksSection({ session }: { session: Session }) {
  const [integrations] = useLoad(listIntegrations, []);
  const [tenant, setTenant] = useState(session.key.tenant_id ?? '');
  const [allowed, setAllowed] = useState<string[]>([]);
  const [minutes, setMinutes] = useState('30');
  const [link, setLink] = useState<{ url: string; expires_at: string } | null>(null);
  const [act, busy, error] = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      const body = { tenant_id: tenant.trim(), ...(allowed.length ? { integrations: allowed } : {}), expires_in: Math.round(Number(minutes) * 60) };
      const created = await ok(api.POST('/connect-sessions', { body }));
      setLink({ url: created.url, expires_at: created.expires_at });
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
    </section>
  );
}

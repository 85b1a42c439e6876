import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import { everyPage } from '../api/pages';
import { listIntegrations } from '../api/integrations';
import type { Account, Session } from '../api/types';
import { Show, useLoad } from '../components/async';
import { AccountStatus, SyncResult } from '../components/status';
import { when } from '../format';
import { href, navigate } from '../router';
import { ConnectWizard } from './connect-wizard';

/** Every account this key sees, following the cursors (a hub has tens of accounts, not thousands). */
export function allAccounts(): Promise<Account[]> {
  return everyPage((cursor) => ok(api.GET('/integrated-accounts', { params: { query: { limit: 200, next_cursor: cursor } } })));
}

export function ConnectionsPage({ session }: { session: Session }) {
  const [accounts, reload] = useLoad(allAccounts, []);
  const [connecting, setConnecting] = useState(false);
  const [integrations] = useLoad(listIntegrations, []);
  const admin = session.key.scope === 'admin';
  const [tenant, setTenant] = useState('');
  return (
    <>
      <h1 tabIndex={-1}>Connections</h1>
      {admin && (
        <button type="button" class="primary" aria-expanded={connecting} onClick={() => setConnecting(!connecting)}>
          Connect
        </button>
      )}
      {connecting && (
        <Show loaded={integrations}>
          {(list) => (
            <>
              {session.key.tenant_id === null && (
                <div class="field">
                  <label for="connect-tenant">Tenant (optional)</label>
                  <input id="connect-tenant" value={tenant} onInput={(e) => setTenant(e.currentTarget.value)} />
                </div>
              )}
              <ConnectWizard
                integrations={list}
                withName
                test={(integration, credentials) => ok(api.POST('/integrated-accounts/test-credentials', { body: { integration, credentials } }))}
                save={async (integration, credentials, name) => {
                  const body = { integration, credentials, allow_duplicate: false, ...(name ? { name } : {}), ...(tenant.trim() ? { tenant_id: tenant.trim() } : {}) };
                  const account = await ok(api.POST('/integrated-accounts', { body }));
                  setConnecting(false);
                  reload();
                  navigate('accounts', (account as Account).id);
                }}
              />
            </>
          )}
        </Show>
      )}
      <Show loaded={accounts}>
        {(list) =>
          list.length === 0 ? (
            <p>No account is connected yet.{admin ? ' Use “Connect” to add one.' : ''}</p>
          ) : (
            <table>
              <caption class="sr-only">Integrated accounts</caption>
              <thead>
                <tr>
                  <th scope="col">Integration</th>
                  <th scope="col">Name</th>
                  <th scope="col">Tenant</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last sync</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {list.map((account) => (
                  <tr key={account.id} class={account.status === 'needs_reauth' ? 'attention' : undefined}>
                    <td>{account.integration}</td>
                    <td>
                      <a href={href('accounts', account.id)}>{account.name}</a>
                    </td>
                    <td>{account.tenant_id ?? '—'}</td>
                    <td>
                      <AccountStatus status={account.status} />
                    </td>
                    <td>{when(account.last_synced_at)}</td>
                    <td>
                      <SyncResult status={account.last_sync_status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </>
  );
}

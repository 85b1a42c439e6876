import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import { listIntegrations } from '../api/integrations';
import type { Account, Session, SyncRun } from '../api/types';
import { ErrorBox, Show, useAction, useLoad } from '../components/async';
import { Confirm } from '../components/confirm';
import { CredentialsForm } from '../components/credentials-form';
import { AccountStatus, SyncResult } from '../components/status';
import { when } from '../format';
import { href, navigate } from '../router';

type SyncStats = { users?: number; users_added?: number; users_removed?: number; users_changed?: number; progress?: { pages_done: number; pages_known: number | null } };

async function loadAccount(id: string): Promise<{ account: Account; runs: SyncRun[] }> {
  const path = { params: { path: { id } } };
  const [account, runs] = await Promise.all([ok(api.GET('/integrated-accounts/{id}', path)), ok(api.GET('/integrated-accounts/{id}/syncs', path))]);
  return { account, runs: runs.result };
}

const unfinished = (run: SyncRun | undefined) => run?.status === 'queued' || run?.status === 'running';

export function AccountPage({ id, session }: { id: string; session: Session }) {
  const [loaded, reload] = useLoad(() => loadAccount(id), [id]);
  const [act, busy, error] = useAction();
  const [confirming, setConfirming] = useState(false);
  const [updating, setUpdating] = useState(false);
  const admin = session.key.scope === 'admin';
  const running = loaded.state === 'done' && unfinished(loaded.data.runs[0]);
  // While a run goes, the page asks again each second (the run's progress is in its stats).
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(reload, 1000);
    return () => clearTimeout(timer);
  });

  return (
    <Show loaded={loaded}>
      {({ account, runs }) => (
        <>
          <p class="crumbs">
            <a href={href('connections')}>Connections</a> / {account.name}
          </p>
          <h1 tabIndex={-1}>{account.name}</h1>
          <dl class="facts">
            <div><dt>Integration</dt><dd>{account.integration}</dd></div>
            <div><dt>Tenant</dt><dd>{account.tenant_id ?? '—'}</dd></div>
            <div><dt>Status</dt><dd><AccountStatus status={account.status} /></dd></div>
            <div><dt>Last sync</dt><dd>{when(account.last_synced_at)} <SyncResult status={account.last_sync_status} /></dd></div>
            <div><dt>Inactive after</dt><dd>{account.inactive_days} days</dd></div>
          </dl>
          {running && <SyncProgress run={runs[0]!} />}
          {admin && (
            <div class="actions">
              <button type="button" disabled={busy || running} onClick={() => void act(async () => {
                await ok(api.POST('/integrated-accounts/{id}/sync', { params: { path: { id } } }));
                reload();
              })}>
                Sync now
              </button>
              {account.status === 'needs_reauth' && (
                <button type="button" aria-expanded={updating} onClick={() => setUpdating(!updating)}>
                  Update credentials
                </button>
              )}
              <button type="button" class="danger" onClick={() => setConfirming(true)}>
                Delete
              </button>
            </div>
          )}
          <ErrorBox error={error} />
          {updating && <UpdateCredentials account={account} onDone={() => (setUpdating(false), reload())} />}
          {confirming && (
            <Confirm
              title={`Delete ${account.name}?`}
              confirmLabel="Delete account"
              onCancel={() => setConfirming(false)}
              onConfirm={() => {
                setConfirming(false);
                void act(async () => {
                  await ok(api.DELETE('/integrated-accounts/{id}', { params: { path: { id } } }));
                  navigate('connections');
                });
              }}
            >
              <p>Its stored credentials, synced people, seats and sync history are removed. The upstream organization is not touched.</p>
            </Confirm>
          )}
          <h2>Sync history</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Trigger</th>
                <th scope="col">Result</th>
                <th scope="col">Took</th>
                <th scope="col">Users</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => {
                const stats = run.stats as SyncStats;
                return (
                  <tr key={run.id}>
                    <td>{when(run.started_at)}</td>
                    <td>{run.trigger}</td>
                    <td><SyncResult status={run.status} /></td>
                    <td>{run.duration_ms === null ? '—' : `${(run.duration_ms / 1000).toFixed(1)} s`}</td>
                    <td>{stats.users ?? '—'}{stats.users_added || stats.users_removed || stats.users_changed ? ` (+${stats.users_added ?? 0} −${stats.users_removed ?? 0} ~${stats.users_changed ?? 0})` : ''}</td>
                    <td>{(run.error as { message?: string } | null)?.message ?? ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </Show>
  );
}

function SyncProgress({ run }: { run: SyncRun }) {
  const progress = (run.stats as SyncStats).progress;
  const known = progress?.pages_known ?? null;
  const label = run.status === 'queued' ? 'Sync waiting to start' : known ? `Sync running: ${progress!.pages_done} of ${known} pages` : 'Sync running';
  return (
    <div class="progress" role="status">
      <label for="sync-progress">{label}</label>
      {known ? <progress id="sync-progress" max={known} value={progress!.pages_done} /> : <progress id="sync-progress" />}
    </div>
  );
}

function UpdateCredentials({ account, onDone }: { account: Account; onDone: () => void }) {
  const [integrations] = useLoad(listIntegrations, []);
  return (
    <section class="panel" aria-labelledby="update-heading">
      <h2 id="update-heading">Update credentials</h2>
      <Show loaded={integrations}>
        {(list) => {
          const integration = list.find((i) => i.id === account.integration);
          if (!integration) return <p>The integration {account.integration} is no longer installed.</p>;
          return (
            <CredentialsForm
              integration={integration}
              test={(credentials) => ok(api.POST('/integrated-accounts/test-credentials', { body: { integration: integration.id, credentials } }))}
              save={async (credentials) => {
                await ok(api.PATCH('/integrated-accounts/{id}', { params: { path: { id: account.id } }, body: { credentials } }));
                onDone();
              }}
            />
          );
        }}
      </Show>
    </section>
  );
}

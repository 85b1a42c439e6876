import { useMemo, useState } from 'preact/hooks';
import { connectClient } from '../api/client';
import { ok } from '../api/errors';
import { Show, useLoad } from '../components/async';
import { when } from '../format';
import { ConnectWizard } from './connect-wizard';

/** What a person following a dead link is told: why, and what to do. Never the sign-in. */
const DEAD_LINKS: Record<string, [string, string]> = {
  CONNECT_SESSION_EXPIRED: ['This connect link has expired', 'Links work for a limited time. Ask the person who sent it for a new one.'],
  CONNECT_SESSION_USED: ['This connect link has been used', 'It connected an account already, and works only once. Ask the person who sent it if you need to connect another.'],
  CONNECT_SESSION_NOT_FOUND: ['This connect link is not valid', 'Check that you opened the whole link, or ask the person who sent it for a new one.'],
};

/**
 * `#/connect/<token>`: a customer connects one account into the link's tenant, and sees nothing
 * else of the hub. Every call carries the connect token; no cookie goes along.
 */
export function ConnectLinkPage({ token }: { token: string }) {
  const client = useMemo(() => connectClient(token), [token]);
  const [current] = useLoad(() => ok(client.GET('/connect-sessions/current')), [token]);
  const [done, setDone] = useState<{ name: string; integration: string } | null>(null);

  if (current.state === 'error' && (DEAD_LINKS[current.error.code] || current.error.status === 401)) {
    const [title, what] = DEAD_LINKS[current.error.code] ?? DEAD_LINKS.CONNECT_SESSION_NOT_FOUND!;
    return (
      <main id="main" class="connect">
        <h1>{title}</h1>
        <p>{what}</p>
      </main>
    );
  }
  return (
    <main id="main" class="connect">
      <Show loaded={current}>
        {(session) =>
          done ? (
            <>
              <h1>Connected</h1>
              <p role="status">
                {`${done.name} (${done.integration}) is connected. Its first sync has started; you can close this page.`}
              </p>
            </>
          ) : (
            <>
              <h1>Connect your account</h1>
              <p>
                {`Your credentials are tested, then stored encrypted for ${session.tenant_id}. This link works once, until ${when(session.expires_at)}.`}
              </p>
              <ConnectWizard
                integrations={session.integrations}
                test={(integration, credentials) => ok(client.POST('/connect-sessions/current/test', { body: { integration, credentials } }))}
                save={async (integration, credentials, name) => {
                  const account = await ok(client.POST('/connect-sessions/current/accounts', { body: { integration, credentials, ...(name ? { name } : {}) } }));
                  setDone({ name: account.name, integration: account.integration });
                }}
              />
            </>
          )
        }
      </Show>
    </main>
  );
}

import { useEffect, useRef, useState } from 'preact/hooks';
import { whenSessionEnds } from './api/client';
import type { Session } from './api/types';
import { AccountPage } from './pages/account';
import { ChangesPage } from './pages/changes';
import { ConnectLinkPage } from './pages/connect-link';
import { ConnectionsPage } from './pages/connections';
import { PeoplePage } from './pages/people';
import { PersonPage } from './pages/person';
import { SeatsPage } from './pages/seats';
import { SettingsPage } from './pages/settings';
import { SignInPage } from './pages/sign-in';
import { href, useRoute } from './router';
import { currentSession, signOut } from './session';

const NAV: [string, string][] = [
  ['connections', 'Connections'],
  ['people', 'People'],
  ['seats', 'Seats'],
  ['changes', 'Changes'],
  ['settings', 'Settings'],
];

export function App() {
  const route = useRoute();
  // A connect link is for someone without a key: its own page, never the sign-in.
  if (route[0] === 'connect' && route[1]) return <ConnectLinkPage token={route[1]} />;
  return <SignedIn route={route} />;
}

function SignedIn({ route }: { route: string[] }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    whenSessionEnds(() => setSession(null));
    currentSession().then(setSession, () => setSession(null));
  }, []);
  if (session === undefined) return <p aria-live="polite">Loading…</p>;
  if (session === null) return <SignInPage onSignedIn={setSession} />;
  return <Shell session={session} route={route} onSignedOut={() => setSession(null)} />;
}

function Shell({ session, route, onSignedOut }: { session: Session; route: string[]; onSignedOut: () => void }) {
  const section = route[0] ?? 'connections';
  const main = useRef<HTMLElement>(null);
  // On every page change, the new page's heading gets focus, so keyboard and screen-reader users start there.
  // Pages that load first (an account, a person) render their heading a little later: look for it a while.
  useEffect(() => {
    let frames = 0;
    let handle = 0;
    const focusHeading = () => {
      const heading = main.current?.querySelector<HTMLElement>('h1');
      if (heading) heading.focus();
      else if (frames++ < 120) handle = requestAnimationFrame(focusHeading);
    };
    focusHeading();
    return () => cancelAnimationFrame(handle);
  }, [route.join('/')]);
  const admin = session.key.scope === 'admin';
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.querySelector<HTMLElement>('h1')?.focus())}>
        Skip to content
      </a>
      <header>
        <nav aria-label="Main">
          <span class="brand">Integration hub</span>
          <ul>
            {NAV.filter(([id]) => id !== 'settings' || admin).map(([id, label]) => (
              <li key={id}>
                <a href={href(id)} aria-current={section === id || (id === 'connections' && section === 'accounts') || (id === 'people' && route.length > 1 && section === 'people') ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            Signed in as <strong>{session.key.name}</strong> ({session.key.scope}
            {session.key.tenant_id ? `, tenant ${session.key.tenant_id}` : ''})
          </span>
          <button type="button" onClick={() => void signOut().finally(onSignedOut)}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main}>
        <Page route={route} session={session} />
      </main>
    </>
  );
}

function Page({ route, session }: { route: string[]; session: Session }) {
  const [section, id] = route;
  switch (section ?? 'connections') {
    case 'connections':
      return <ConnectionsPage session={session} />;
    case 'accounts':
      return id ? <AccountPage id={id} session={session} /> : <ConnectionsPage session={session} />;
    case 'people':
      return id ? <PersonPage email={id} /> : <PeoplePage />;
    case 'seats':
      return <SeatsPage />;
    case 'changes':
      return <ChangesPage />;
    case 'settings':
      return <SettingsPage session={session} />;
    default:
      return (
        <>
          <h1 tabIndex={-1}>Page not found</h1>
          <p>
            There is no page <code>{route.join('/')}</code>. <a href={href('connections')}>Go to Connections</a>.
          </p>
        </>
      );
  }
}

import { useState } from 'preact/hooks';
import type { Session } from '../api/types';
import { ErrorBox, useAction } from '../components/async';
import { signIn } from '../session';

export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [act, busy, error] = useAction();
  return (
    <main id="main" class="sign-in">
      <h1>Integration hub</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => onSignedIn(await signIn(key.trim())));
        }}
      >
        <div class="field">
          <label for="api-key">API key</label>
          <input id="api-key" type="password" autocomplete="current-password" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
          <p class="hint">The hub's key (data/api-key) or one made under Settings. The page keeps only a session cookie, never the key.</p>
        </div>
        <button type="submit" class="primary" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
        <ErrorBox error={error} />
      </form>
    </main>
  );
}

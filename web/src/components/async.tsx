import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { HubApiError } from '../api/errors';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: HubApiError } | { state: 'done'; data: T };

/** Runs `load` when `deps` change; `reload()` runs it again (after a write). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setResult({ state: 'done', data }),
      (error: unknown) => current && setResult({ state: 'error', error: asHubError(error) }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  return [result, useCallback(() => setRound((r) => r + 1), [])];
}

export function asHubError(error: unknown): HubApiError {
  return error instanceof HubApiError ? error : new HubApiError(0, 'PAGE_ERROR', (error as Error)?.message ?? String(error), null, {});
}

/** The hub's message and, when it gave one, its hint on what to change. */
export function ErrorBox({ error }: { error: HubApiError | null }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <p>{error.message}</p>
      {error.hint && <p class="hint">{error.hint}</p>}
    </div>
  );
}

/** Loading text, the error, or the children with the data. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (loaded.state === 'loading') return <p aria-live="polite">Loading…</p>;
  if (loaded.state === 'error') return <ErrorBox error={loaded.error} />;
  return <>{children(loaded.data)}</>;
}

/** Runs a write, keeping its error and whether it is under way, for a form's buttons. */
export function useAction(): [(run: () => Promise<void>) => Promise<void>, boolean, HubApiError | null, (e: HubApiError | null) => void] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HubApiError | null>(null);
  const act = useCallback(async (run: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (caught) {
      setError(asHubError(caught));
    } finally {
      setBusy(false);
    }
  }, []);
  return [act, busy, error, setError];
}

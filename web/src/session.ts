import { api, setCsrfToken } from './api/client';
import { ok } from './api/errors';
import type { Session } from './api/types';

/** The session of this browser, if any (after a reload the cookie is still there; the CSRF token is fetched again). */
export async function currentSession(): Promise<Session | null> {
  const { data, response } = await api.GET('/session');
  if (response.status === 401 || !data) return null;
  setCsrfToken(data.csrf_token);
  return data;
}

export async function signIn(apiKey: string): Promise<Session> {
  const session = await ok(api.POST('/session', { body: { api_key: apiKey } }));
  setCsrfToken(session.csrf_token);
  return session;
}

export async function signOut(): Promise<void> {
  await api.DELETE('/session');
  setCsrfToken(null);
}

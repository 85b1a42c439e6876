import type { Request } from 'express';
import type { BrowserSessionRow } from '../store/browser-sessions.repository';

/** The browser session a request authenticated with, when it came through the cookie (set by ApiKeyAuthenticator). */
export interface RequestSession {
  row: BrowserSessionRow;
  /** The cookie value (never stored, never logged): the CSRF token is derived from it. */
  token: string;
}

const sessions = new WeakMap<Request, RequestSession>();

export function rememberSession(req: Request, session: RequestSession): void {
  sessions.set(req, session);
}

export function sessionOf(req: Request): RequestSession | undefined {
  return sessions.get(req);
}

import type { ServerResponse } from 'node:http';

/**
 * The page runs only its own files: scripts, styles and API calls from this origin, no inline
 * script, never framed (clickjacking a "Revoke" button), no referrer leaving the hub (the connect
 * link's token is in the fragment, which browsers never send, but belt and braces).
 */
export const WEB_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function setWebPageHeaders(res: ServerResponse, path: string): void {
  res.setHeader('Content-Security-Policy', WEB_PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  // Built assets carry a content hash in their name: cache them for good; index.html never.
  res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares `Authorization: Bearer <key>` with the hub key in constant time. */
export function bearerMatches(header: string | undefined, apiKey: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  // Hash both sides so the comparison length never depends on the secret.
  const given = createHash('sha256').update(match[1]!).digest();
  const expected = createHash('sha256').update(apiKey).digest();
  return timingSafeEqual(given, expected);
}

import { createHash, timingSafeEqual } from 'node:crypto';

const expectedDigests = new Map<string, Buffer>();

/** Compares `Authorization: Bearer <key>` with the hub key in constant time. */
export function bearerMatches(header: string | undefined, apiKey: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  // Hash both sides so the comparison length never depends on the secret; the key's own digest
  // is computed once.
  let expected = expectedDigests.get(apiKey);
  if (!expected) {
    expected = sha256(apiKey);
    expectedDigests.set(apiKey, expected);
  }
  return timingSafeEqual(sha256(match[1]!), expected);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

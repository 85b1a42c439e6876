import { createHash, timingSafeEqual } from 'node:crypto';

const expectedDigests = new Map<string, Buffer>();

/** The token of `Authorization: Bearer <token>`, or null when the header is missing or malformed. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/** SHA-256 of a presented key: computed once per request, used for the root compare and the lookup. */
export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Whether a presented key's digest is the root key's, in constant time (both sides are 32 bytes). */
export function digestMatchesKey(digest: Buffer, apiKey: string): boolean {
  // The root key's own digest is computed once.
  let expected = expectedDigests.get(apiKey);
  if (!expected) {
    expected = sha256(apiKey);
    expectedDigests.set(apiKey, expected);
  }
  return timingSafeEqual(digest, expected);
}

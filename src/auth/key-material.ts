import { randomBytes } from 'node:crypto';

/** What every key issued by POST /api-keys starts with, so it is recognisable (and greppable in leaks). */
export const KEY_MARK = 'hub_';
/** The mark and 8 characters: enough to tell keys apart in a list, far too little to guess the rest. */
const PREFIX_LENGTH = KEY_MARK.length + 8;

/**
 * A new key: the mark and 32 random bytes in base64url (256 bits). With that much entropy a plain
 * SHA-256 of the key is safe to store: there is nothing to brute-force, so no slow hash is needed,
 * and the lookup stays one hash and one indexed read.
 */
export function generateKey(): string {
  return KEY_MARK + randomBytes(32).toString('base64url');
}

export function displayPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH);
}

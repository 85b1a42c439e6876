import { bearerToken, digestMatchesKey, sha256 } from './api-key';
import { displayPrefix, generateKey } from './key-material';

describe('key material', () => {
  it('makes hub_ keys of 32 random bytes, never the same twice', () => {
    const keys = Array.from({ length: 50 }, generateKey);
    for (const key of keys) {
      expect(key).toMatch(/^hub_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
    }
    expect(new Set(keys).size).toBe(keys.length);
    expect(displayPrefix(keys[0]!)).toBe(keys[0]!.slice(0, 12));
  });

  it('reads the bearer token and compares digests with the root key', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(digestMatchesKey(sha256('root-key-0123456789abcdef'), 'root-key-0123456789abcdef')).toBe(true);
    expect(digestMatchesKey(sha256('root-key-0123456789abcdeF'), 'root-key-0123456789abcdef')).toBe(false);
  });
});

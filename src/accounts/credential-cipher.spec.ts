import { CredentialCipher, keyId } from './credential-cipher';

describe('CredentialCipher', () => {
  const key = Buffer.alloc(32, 3);
  const cipher = new CredentialCipher(key);

  it('seals with a fresh IV each time and opens what it sealed', () => {
    const a = cipher.seal('{"api_key":"secret"}', 'acc-1');
    const b = cipher.seal('{"api_key":"secret"}', 'acc-1');
    expect(a).not.toBe(b);
    expect(JSON.parse(a).iv).not.toBe(JSON.parse(b).iv);
    expect(a).not.toContain('secret');
    expect(cipher.open(a, 'acc-1')).toBe('{"api_key":"secret"}');
  });

  it('refuses a value moved to another account or altered', () => {
    const sealed = cipher.seal('x', 'acc-1');
    expect(() => cipher.open(sealed, 'acc-2')).toThrow();
    const parsed = JSON.parse(sealed);
    parsed.ct = Buffer.from('y').toString('base64');
    expect(() => cipher.open(JSON.stringify(parsed), 'acc-1')).toThrow();
  });

  it('opens values of a previous key after rotation and names keys by id', () => {
    const old = cipher.seal('x', 'acc');
    const rotated = new CredentialCipher(Buffer.alloc(32, 4), [key]);
    expect(rotated.open(old, 'acc')).toBe('x');
    expect(JSON.parse(rotated.seal('x', 'acc')).kid).toBe(keyId(Buffer.alloc(32, 4)));
    expect(() => new CredentialCipher(Buffer.alloc(32, 4)).open(old, 'acc')).toThrow(/no key with id/);
    expect(rotated.keyIds).toEqual([keyId(Buffer.alloc(32, 4)), keyId(key)]);
    expect(rotated.hasKey(keyId(key))).toBe(true);
    expect(rotated.hasKey('0000000000000000')).toBe(false);
  });
});

import { CursorCodec } from './cursor-codec';
import { HubError } from './errors';

describe('CursorCodec', () => {
  const codec = new CursorCodec(Buffer.alloc(32, 1));
  const scope = { account: 'acc', resource: 'users' };

  it('round-trips a position', () => {
    const cursor = codec.encode({ a: 'acc', r: 'users', k: 'ada@example.com' });
    expect(codec.decode(cursor, scope).k).toBe('ada@example.com');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('refuses cursors signed with another key, altered, or of another scope', () => {
    const cursor = codec.encode({ a: 'acc', r: 'users', k: 'x' });
    const other = new CursorCodec(Buffer.alloc(32, 2)).encode({ a: 'acc', r: 'users', k: 'x' });
    const expectInvalid = (fn: () => unknown, message?: RegExp) => {
      try {
        fn();
        throw new Error('accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(HubError);
        expect((error as HubError).code).toBe('INVALID_CURSOR');
        if (message) expect((error as HubError).message).toMatch(message);
      }
    };
    expectInvalid(() => codec.decode(other, scope));
    expectInvalid(() => codec.decode(cursor.replace(/^./, 'x'), scope));
    expectInvalid(() => codec.decode('', scope));
    expectInvalid(() => codec.decode('no-dot', scope));
    expectInvalid(() => codec.decode(cursor, { account: 'other', resource: 'users' }), /another integrated account/);
    expectInvalid(() => codec.decode(cursor, { account: 'acc', resource: 'groups' }), /another list/);
  });
});

describe('CursorCodec across a key rotation', () => {
  const [oldKey, newKey] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
  const scope = { account: 'acc', resource: 'users' };

  it('accepts cursors signed with a previous key while it is configured, and signs new ones with the current key', () => {
    const issuedBefore = new CursorCodec(oldKey).encode({ a: 'acc', r: 'users', k: 'x' });
    const rotated = new CursorCodec(newKey, [oldKey]);
    expect(rotated.decode(issuedBefore, scope).k).toBe('x');
    const issuedAfter = rotated.encode({ a: 'acc', r: 'users', k: 'y' });
    expect(new CursorCodec(newKey).decode(issuedAfter, scope).k).toBe('y');
    expect(() => new CursorCodec(oldKey).decode(issuedAfter, scope)).toThrow(HubError);
    // Once the old key is removed, its cursors are refused.
    expect(() => new CursorCodec(newKey).decode(issuedBefore, scope)).toThrow(/not a cursor this hub issued/);
  });
});

describe('CursorCodec page size', () => {
  const codec = new CursorCodec(Buffer.alloc(32, 1));
  const scope = { account: 'acc', resource: 'users' };

  it('carries the limit it was issued with', () => {
    expect(codec.decode(codec.encode({ a: 'acc', r: 'users', k: 'x', l: 200 }), scope).l).toBe(200);
    expect(codec.decode(codec.encode({ a: 'acc', r: 'users', k: 'x' }), scope).l).toBeUndefined();
  });

  it('refuses a signed cursor whose limit is out of range', () => {
    for (const l of [0, 201, 1.5]) {
      expect(() => codec.decode(codec.encode({ a: 'acc', r: 'users', k: 'x', l }), scope)).toThrow(/malformed/);
    }
  });
});

describe('CursorCodec tenant binding', () => {
  const codec = new CursorCodec(Buffer.alloc(32, 1));
  const decode = (cursor: string, tenant?: string | null) => () => codec.decode(cursor, { account: '*', resource: 'people', tenant });

  it('accepts a cursor only for the tenant it was issued to (absent and null: no tenant)', () => {
    const ofA = codec.encode({ a: '*', r: 'people', t: 'tenant-a', k: 'x' });
    const untenanted = codec.encode({ a: '*', r: 'people', k: 'x' });
    expect(decode(ofA, 'tenant-a')().k).toBe('x');
    expect(decode(untenanted)().k).toBe('x');
    expect(decode(untenanted, null)().k).toBe('x');
    for (const [cursor, tenant] of [[ofA, 'tenant-b'], [ofA, null], [untenanted, 'tenant-a']] as const) {
      expect(decode(cursor, tenant)).toThrow(/issued to an API key of another tenant/);
    }
  });

  it('refuses a tenant that is not a string', () => {
    const odd = codec.encode({ a: '*', r: 'people', t: 5 as unknown as string, k: 'x' });
    expect(decode(odd, 'tenant-a')).toThrow(/malformed/);
  });
});

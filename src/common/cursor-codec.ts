import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { HubError } from './errors';
import { MAX_LIMIT } from './list-query.dto';

/**
 * Opaque, signed pagination cursors. The payload names the account and resource it belongs to, so a
 * cursor replayed against another account or list is refused; the HMAC makes tampering visible.
 * A connector's own upstream cursor can ride inside `position`.
 */
export interface CursorPayload {
  /** integrated account id */
  a: string;
  /** resource: users | groups | licenses | accounts ... */
  r: string;
  /** keyset position: the last id returned */
  k: string;
  /** page size the cursor was issued with, so the next page keeps it when the caller sends no `limit` */
  l?: number;
  /**
   * tenant of the key the cursor was issued to, on lists that span accounts (accounts, people):
   * a cursor of one tenant is refused for another, and for keys without tenant. Absent: null.
   */
  t?: string | null;
}

export class CursorCodec {
  /** Signing keys derived from the current secret, then from each previous one (verify only). */
  private readonly keys: Buffer[];

  /**
   * `previous`: older encryption keys still configured. A cursor signed with one stays valid while
   * it is (a client walking pages across a key rotation is not cut off); new cursors use `secret`.
   */
  constructor(secret: Buffer, previous: Buffer[] = []) {
    this.keys = [secret, ...previous].map((k) => Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), 'hub-cursor-signing', 32)));
  }

  encode(payload: CursorPayload): string {
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** Verifies and decodes a cursor for the expected account, resource and tenant (absent: null); 400 otherwise. */
  decode(cursor: string, expected: { account: string; resource: string; tenant?: string | null }): CursorPayload {
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined || !this.verify(body, signature)) {
      throw invalid('next_cursor is not a cursor this hub issued (it is malformed or was altered)');
    }
    let payload: CursorPayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPayload;
    } catch {
      throw invalid('next_cursor is malformed');
    }
    if (
      typeof payload?.k !== 'string' || typeof payload.a !== 'string' || typeof payload.r !== 'string' ||
      (payload.l !== undefined && !(Number.isInteger(payload.l) && payload.l >= 1 && payload.l <= MAX_LIMIT)) ||
      (payload.t !== undefined && payload.t !== null && typeof payload.t !== 'string')
    ) {
      throw invalid('next_cursor is malformed');
    }
    // Checked before the account: the message then names nothing of what the other tenant paged through.
    if ((payload.t ?? null) !== (expected.tenant ?? null)) {
      throw invalid('next_cursor was issued to an API key of another tenant; pass the cursor only with the key and query that produced it');
    }
    if (payload.a !== expected.account || payload.r !== expected.resource) {
      throw invalid(
        `next_cursor belongs to another ${payload.a !== expected.account ? 'integrated account' : 'list'}; ` +
          'pass the cursor only with the query that produced it',
      );
    }
    return payload;
  }

  private sign(body: string, key = this.keys[0]!): string {
    return createHmac('sha256', key).update(body).digest('base64url');
  }

  private verify(body: string, signature: string): boolean {
    const given = Buffer.from(signature);
    return this.keys.some((key) => {
      const expected = Buffer.from(this.sign(body, key));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
  }
}

function invalid(message: string): HubError {
  return new HubError('INVALID_CURSOR', message);
}

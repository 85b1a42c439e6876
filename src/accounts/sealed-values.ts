/** How many stored values one key id seals. */
export interface KeyCount {
  key_id: string;
  count: number;
}

export interface ResealOutcome {
  resealed: number;
  /** Changed since read (re-sealed elsewhere, new value), or sealed with a key this process lacks. */
  skipped: number;
  /** Could not be opened (damaged); left as they are, and still counted as pending. */
  failed: number;
}

/**
 * One kind of value the hub stores sealed with the encryption key (credentials, webhook signing
 * secrets): key rotation counts each kind per key id, checks at boot that every key id is
 * configured, and re-seals what an older key sealed. A new kind of sealed value is one more of these
 * in KeyRotation, or rotation would leave it behind.
 */
export interface SealedValues {
  /** Its name in GET /admin/encryption (`sealed_by_kind`). */
  readonly kind: string;
  /** "credentials of 2 integrated account(s)", for the boot error. */
  describe(count: number): string;
  /** Per key id, how many live values it seals. */
  countByKeyId(): Promise<KeyCount[]>;
  /** Re-seals every value not sealed with the current key; compare-and-set writes, safe on several replicas at once. */
  resealAll(): Promise<ResealOutcome>;
}

/** Adds `count` to `into[key_id]`. */
export function addCount(into: Map<string, number>, keyId: string, count = 1): void {
  into.set(keyId, (into.get(keyId) ?? 0) + count);
}

/** Sealed values read per batch: one small read, then one compare-and-set per value. */
const BATCH = 100;

/** Visits every row `read` gives, BATCH at a time in id order (keyset: each batch after the last id). */
export async function eachInBatches<T extends { id: string }>(read: (after: string | null, limit: number) => Promise<T[]>, visit: (row: T) => Promise<void>): Promise<void> {
  for (let after: string | null = null; ; ) {
    const batch = await read(after, BATCH);
    for (const row of batch) await visit(row);
    if (batch.length < BATCH) return;
    after = batch[batch.length - 1]!.id;
  }
}

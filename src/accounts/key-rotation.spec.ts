import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HubConfig } from '../config/hub-config';
import { AccountsRepository, AccountRow } from '../store/accounts.repository';
import { HubDatabase, openDatabase } from '../store/database';
import { CredentialCipher, keyId } from './credential-cipher';
import { KeyRotation } from './key-rotation';

const OLD = Buffer.alloc(32, 1);
const NEW = Buffer.alloc(32, 2);
const OTHER = Buffer.alloc(32, 3);

describe('KeyRotation (on a real SQLite database)', () => {
  let db: HubDatabase;
  let dataDir: string;
  let rows: AccountsRepository;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hub-rotation-'));
    db = await openDatabase({ kind: 'sqlite', file: join(dataDir, 'hub.sqlite') });
    rows = new AccountsRepository(db);
  });
  afterEach(() => db.destroy());

  const rotation = (cipher: CredentialCipher) => new KeyRotation({ dataDir } as HubConfig, new AccountsRepository(db), cipher);

  async function insertSealed(cipher: CredentialCipher, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = `acc-${String(i).padStart(4, '0')}`;
      const row: AccountRow = {
        id, integration: 'jetbrains', name: id, status: 'active',
        credentials: cipher.seal(JSON.stringify({ api_key: `secret-${i}` }), id), credentials_key_id: cipher.currentKeyId,
        access: '{}', current_snapshot_id: null, last_synced_at: null, last_sync_status: null, created_at: 'now', updated_at: 'now',
      };
      await rows.insert(row);
      ids.push(id);
    }
    return ids;
  }

  it('re-seals every value of a previous key with the current one, in batches, and reports the counts', async () => {
    await insertSealed(new CredentialCipher(OLD), 250);
    const cipher = new CredentialCipher(NEW, [OLD]);
    const keys = rotation(cipher);
    expect(await keys.status()).toEqual({
      current_key_id: keyId(NEW), previous_key_ids: [keyId(OLD)], sealed_values: { [keyId(NEW)]: 0, [keyId(OLD)]: 250 }, pending_reseal: 250,
    });
    expect(await keys.resealAll()).toEqual({ resealed: 250, skipped: 0, failed: 0 });
    expect((await keys.status()).sealed_values).toEqual({ [keyId(NEW)]: 250, [keyId(OLD)]: 0 });
    // Readable with the new key alone, same plaintext.
    const alone = new CredentialCipher(NEW);
    for (const row of await rows.all()) expect(JSON.parse(alone.open(row.credentials, row.id)).api_key).toBe(`secret-${Number(row.id.slice(4))}`);
  });

  it('two replicas re-sealing at once write each value once (compare-and-set on the old value)', async () => {
    await insertSealed(new CredentialCipher(OLD), 120);
    const a = rotation(new CredentialCipher(NEW, [OLD]));
    const b = rotation(new CredentialCipher(NEW, [OLD]));
    const [ra, rb] = await Promise.all([a.resealAll(), b.resealAll()]);
    expect(ra.resealed + rb.resealed).toBe(120);
    expect(ra.failed + rb.failed).toBe(0);
    expect((await a.status()).pending_reseal).toBe(0);
    const alone = new CredentialCipher(NEW);
    for (const row of await rows.all()) expect(() => alone.open(row.credentials, row.id)).not.toThrow();
  });

  it('never overwrites credentials replaced since they were read', async () => {
    const [id] = await insertSealed(new CredentialCipher(OLD), 1);
    const cipher = new CredentialCipher(NEW, [OLD]);
    const stale = (await rows.sealedWithOtherKeys(cipher.currentKeyId, null, 10))[0]!;
    // A PATCH lands in between: new credentials, sealed with the current key.
    const patched = cipher.seal('{"api_key":"patched"}', id!);
    await rows.update(id!, { credentials: patched, credentials_key_id: cipher.currentKeyId });
    expect(await rows.replaceSealed(id!, stale.credentials, cipher.seal('{"api_key":"secret-0"}', id!), cipher.currentKeyId)).toBe(false);
    expect((await rows.findById(id!))!.credentials).toBe(patched);
  });

  it('stops the boot naming the key id that no configured key has, and the variables to set', async () => {
    await insertSealed(new CredentialCipher(OLD), 2);
    const boot = rotation(new CredentialCipher(OTHER));
    await expect(boot.onModuleInit()).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringMatching(new RegExp(`^Stored credentials of 2 integrated account\\(s\\) are sealed with encryption key id ${keyId(OLD)}, .*HUB_ENCRYPTION_KEY.*HUB_ENCRYPTION_KEYS_PREVIOUS[^\\n]*$`)),
    });
    // The key generated into the data dir by an earlier start is pointed at.
    writeFileSync(join(dataDir, 'encryption-key'), OLD.toString('base64') + '\n');
    await expect(boot.onModuleInit()).rejects.toThrow(`That key is the one in ${join(dataDir, 'encryption-key')}.`);
    const rotated = rotation(new CredentialCipher(OTHER, [OLD]));
    await expect(rotated.onModuleInit()).resolves.toBeUndefined();
    await rotated.onApplicationShutdown(); // waits for the background pass it started
    expect((await rotated.status()).pending_reseal).toBe(0);
  });
});

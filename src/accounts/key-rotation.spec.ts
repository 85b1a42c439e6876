import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HubConfig } from '../config/hub-config';
import { AccountsRepository, AccountRow } from '../store/accounts.repository';
import { HubDatabase, openDatabase } from '../store/database';
import { WebhookEndpointsRepository } from '../store/webhook-endpoints.repository';
import { CredentialCipher, keyId, sealedKeyId, webhookSecretContext } from './credential-cipher';
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

  const rotation = (cipher: CredentialCipher) => new KeyRotation({ dataDir } as HubConfig, new AccountsRepository(db), new WebhookEndpointsRepository(db), cipher);

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
      sealed_by_kind: { credentials: { [keyId(NEW)]: 0, [keyId(OLD)]: 250 }, webhook_secrets: { [keyId(NEW)]: 0, [keyId(OLD)]: 0 } },
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

  describe('webhook signing secrets', () => {
    let endpoints: WebhookEndpointsRepository;
    beforeEach(() => {
      endpoints = new WebhookEndpointsRepository(db);
    });

    /** An endpoint whose secret (and, with `previous`, a previous secret expiring at that time) `cipher` sealed. */
    async function insertEndpoint(id: string, cipher: CredentialCipher, previous?: { cipher: CredentialCipher; expiresAt: string }): Promise<void> {
      const context = webhookSecretContext(id);
      await endpoints.insert({
        id, tenant_id: null, url: 'http://127.0.0.1:9/hook', description: null, events: '["*"]', enabled: 1, disabled_reason: null,
        secret: cipher.seal(`whsec_current_${id}`, context), secret_key_id: cipher.currentKeyId,
        previous_secret: previous ? previous.cipher.seal(`whsec_previous_${id}`, context) : null,
        previous_secret_expires_at: previous?.expiresAt ?? null,
        failing_since: null, created_at: 'now', updated_at: 'now',
      });
    }
    const later = () => new Date(Date.now() + 3_600_000).toISOString();
    const earlier = () => new Date(Date.now() - 1000).toISOString();

    it('counts current and live previous secrets per key id, re-seals both, and clears an expired previous one', async () => {
      const old = new CredentialCipher(OLD);
      await insertEndpoint('ep_1', old);
      await insertEndpoint('ep_2', old, { cipher: old, expiresAt: later() });
      await insertEndpoint('ep_3', old, { cipher: old, expiresAt: earlier() }); // expired: never signs again
      await insertSealed(old, 1);
      const cipher = new CredentialCipher(NEW, [OLD]);
      const keys = rotation(cipher);
      const before = await keys.status();
      expect(before.sealed_by_kind.webhook_secrets).toEqual({ [keyId(NEW)]: 0, [keyId(OLD)]: 4 });
      expect(before.sealed_values).toEqual({ [keyId(NEW)]: 0, [keyId(OLD)]: 5 });
      expect(before.pending_reseal).toBe(5);

      expect(await keys.resealAll()).toEqual({ resealed: 4, skipped: 0, failed: 0 });
      const after = await keys.status();
      expect(after.sealed_by_kind.webhook_secrets).toEqual({ [keyId(NEW)]: 4, [keyId(OLD)]: 0 });
      expect(after.pending_reseal).toBe(0);
      const alone = new CredentialCipher(NEW);
      const open = async (id: string) => {
        const row = (await endpoints.findById(id))!;
        return {
          current: alone.open(row.secret, webhookSecretContext(id)),
          previous: row.previous_secret === null ? null : alone.open(row.previous_secret, webhookSecretContext(id)),
          kid: row.secret_key_id,
        };
      };
      expect(await open('ep_1')).toEqual({ current: 'whsec_current_ep_1', previous: null, kid: keyId(NEW) });
      expect(await open('ep_2')).toEqual({ current: 'whsec_current_ep_2', previous: 'whsec_previous_ep_2', kid: keyId(NEW) });
      expect(await open('ep_3')).toEqual({ current: 'whsec_current_ep_3', previous: null, kid: keyId(NEW) });
      expect((await endpoints.findById('ep_3'))!.previous_secret_expires_at).toBeNull();
      // Nothing left to do: a second pass writes nothing.
      expect(await keys.resealAll()).toEqual({ resealed: 0, skipped: 0, failed: 0 });
    });

    it('never overwrites a secret rotated since it was read', async () => {
      const old = new CredentialCipher(OLD);
      await insertEndpoint('ep_1', old);
      const cipher = new CredentialCipher(NEW, [OLD]);
      const [read] = await endpoints.sealedSecrets(null, 10);
      // POST /webhooks/ep_1/rotate-secret lands in between.
      const rotated = cipher.seal('whsec_rotated', webhookSecretContext('ep_1'));
      await endpoints.update('ep_1', { secret: rotated, secret_key_id: cipher.currentKeyId, previous_secret: read!.secret, previous_secret_expires_at: later() });
      const next = { secret: cipher.seal('whsec_current_ep_1', webhookSecretContext('ep_1')), secret_key_id: cipher.currentKeyId, previous_secret: null, previous_secret_expires_at: null };
      expect(await endpoints.replaceSealed(read!, next)).toBe(false);
      expect((await endpoints.findById('ep_1'))!.secret).toBe(rotated);
      // The next pass re-seals the previous secret the rotation kept (sealed with the old key).
      expect(await rotation(cipher).resealAll()).toEqual({ resealed: 1, skipped: 0, failed: 0 });
      expect(sealedKeyId((await endpoints.findById('ep_1'))!.previous_secret!)).toBe(keyId(NEW));
    });

    it('stops the boot for a secret sealed with an unknown key, but not for an expired previous one', async () => {
      await insertEndpoint('ep_1', new CredentialCipher(NEW), { cipher: new CredentialCipher(OLD), expiresAt: earlier() });
      await expect(rotation(new CredentialCipher(NEW)).onModuleInit()).resolves.toBeUndefined();
      await insertEndpoint('ep_2', new CredentialCipher(NEW), { cipher: new CredentialCipher(OLD), expiresAt: later() });
      await insertSealed(new CredentialCipher(OTHER), 1);
      await expect(rotation(new CredentialCipher(NEW)).onModuleInit()).rejects.toMatchObject({
        name: 'ConfigError',
        message: expect.stringMatching(
          new RegExp(`^Stored credentials of 1 integrated account\\(s\\) and 1 webhook signing secret\\(s\\) are sealed with encryption key id (${keyId(OLD)}, ${keyId(OTHER)}|${keyId(OTHER)}, ${keyId(OLD)}), .*HUB_ENCRYPTION_KEYS_PREVIOUS`),
        ),
      });
    });
  });
});

import { keyId } from '../src/accounts/credential-cipher';
import { connectSynced, TEST_ENCRYPTION_KEY, useFixture } from './support/fixture';

describe('credential keys at boot', () => {
  const fx = useFixture();

  it('refuses to start with a key that cannot open the stored credentials, naming the missing key id', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const first = await fx.hub({ JETBRAINS_BASE_URL: sim.baseUrl });
    await connectSynced(first);
    await first.close();

    const otherKey = Buffer.alloc(32, 9);
    const sealedWith = keyId(Buffer.from(TEST_ENCRYPTION_KEY, 'base64'));
    await expect(fx.hub({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_DATA_DIR: first.dataDir, HUB_ENCRYPTION_KEY: otherKey.toString('base64') })).rejects.toThrow(
      `HUB_ENCRYPTION_KEY cannot open the stored credentials sealed with key id ${sealedWith} (1 account); this hub's key id is ${keyId(otherKey)}.`,
    );
    // With the right key it starts as before.
    const again = await fx.hub({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_DATA_DIR: first.dataDir });
    await again.get('/integrated-accounts').expect(200);
  });
});

import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startHub, tempDataDir } from './support/hub-harness';

/** The SQLite files hold sealed credentials and everyone's directory: owner-only, in any data dir. */
describe('data dir file modes', () => {
  it('creates hub.sqlite, -wal and -shm 0600 in an existing 0755 dir, whatever the umask', async () => {
    const dataDir = tempDataDir();
    chmodSync(dataDir, 0o755);
    const umask = process.umask(0o022);
    try {
      const hub = await startHub({ HUB_DATA_DIR: dataDir });
      await hub.get('/integrated-accounts').expect(200);
      for (const name of ['hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm']) {
        const path = join(dataDir, name);
        expect([name, existsSync(path)]).toEqual([name, true]);
        expect([name, (statSync(path).mode & 0o777).toString(8)]).toEqual([name, '600']);
      }
      await hub.close();
    } finally {
      process.umask(umask);
    }
  });
});

import { Readable } from 'node:stream';
import { readCappedBody } from './body-cap';

describe('readCappedBody', () => {
  it('returns the exact bytes of a body within the cap', async () => {
    const body = await readCappedBody(Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]), undefined, 1024, 'JetBrains', '/token');
    expect(Buffer.from(body).toString()).toBe('{"a":1}');
  });

  it('refuses a declared Content-Length over the cap before reading, and destroys the stream', async () => {
    const stream = Readable.from([Buffer.alloc(10)]);
    await expect(readCappedBody(stream, String(10 * 1024 * 1024), 1024 * 1024, 'JetBrains', '/token')).rejects.toMatchObject({
      code: 'UPSTREAM_TOO_LARGE',
      details: { limit_bytes: 1024 * 1024, declared_bytes: 10 * 1024 * 1024 },
    });
    expect(stream.destroyed).toBe(true);
  });

  it('stops reading a chunked body at the cap, with a message naming the setting', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 64 * 1024;
        this.push(Buffer.alloc(64 * 1024));
      },
    });
    const error = await readCappedBody(endless, undefined, 1024 * 1024, 'JetBrains', '/customer/licenses').catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_TOO_LARGE' });
    expect((error as Error).message).toMatch(/larger than the hub reads \(1 MB, HUB_UPSTREAM_MAX_BODY\) from \/customer\/licenses/);
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThan(2 * 1024 * 1024);
  });
});

import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { send } from './webhook-sender';
import { isForbiddenAddress, Resolver } from './webhook-target';

describe('webhook targets', () => {
  it.each([
    ['169.254.169.254', true],
    ['169.254.0.1', true],
    ['100.100.100.200', true],
    ['fe80::1', true],
    ['febf::1', true],
    ['[fe80::abcd]', true],
    ['::ffff:169.254.169.254', true],
    ['fd00:ec2::254', true],
    ['::ffff:a9fe:a9fe', true],
    ['127.0.0.1', false],
    ['10.0.0.5', false],
    ['192.168.1.1', false],
    ['::1', false],
    ['fec0::1', false],
    ['169.255.0.1', false],
    ['example.com', false],
  ])('%s forbidden: %s', (address, forbidden) => {
    expect(isForbiddenAddress(address)).toBe(forbidden);
  });

  describe('at delivery', () => {
    let server: Server;
    let port: number;
    let hits = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        hits++;
        req.resume();
        req.on('end', () => res.writeHead(204).end());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('checks the address the name resolves to when it connects, so re-pointing the name gets nothing', async () => {
      let answer = '127.0.0.1';
      const resolve: Resolver = (_host, callback) => callback(null, [{ address: answer, family: 4 }]);
      const url = new URL(`http://hooks.example.test:${port}/in`);
      expect(await send(url, {}, '{}', { resolve })).toEqual({ status: 204, error: null });
      expect(hits).toBe(1);

      answer = '169.254.169.254';
      const refused = await send(url, {}, '{}', { resolve });
      expect(refused.status).toBeNull();
      expect(refused.error).toMatch(/hooks\.example\.test resolved to 169\.254\.169\.254: link-local and cloud-metadata/);
      expect(hits).toBe(1);
    });

    it('refuses a literal forbidden address without connecting', async () => {
      expect(await send(new URL('http://169.254.169.254/latest/meta-data/'), {}, '{}')).toEqual({ status: null, error: expect.stringMatching(/link-local/) });
    });

    it('times out a receiver that does not answer', async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const result = await send(new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`), {}, '{}', { timeoutMs: 300 });
        expect(result).toEqual({ status: null, error: 'no answer within 0.3 s' });
      } finally {
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });
});

import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { send } from './webhook-sender';
import { isForbiddenAddress, privateTargetsAllowed, Resolver } from './webhook-target';

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

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['10.0.0.5', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['fd12:3456::1', true],
    ['172.32.0.1', false],
    ['8.8.8.8', false],
    ['2001:4860::8888', false],
  ])('%s is loopback or private (refused where the endpoint may not): %s', (address, isPrivate) => {
    expect(isForbiddenAddress(address, false)).toBe(isPrivate);
    expect(isForbiddenAddress(address, true)).toBe(false);
  });

  it('lets loopback and private targets only to endpoints without a tenant by default', () => {
    expect(privateTargetsAllowed('untenanted', null)).toBe(true);
    expect(privateTargetsAllowed('untenanted', 'acme')).toBe(false);
    expect(privateTargetsAllowed('all', 'acme')).toBe(true);
    expect(privateTargetsAllowed('none', null)).toBe(false);
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
      expect(await send(url, {}, '{}', { resolve, privateAllowed: true })).toEqual({ status: 204, error: null });
      expect(hits).toBe(1);

      // An endpoint that may not target private addresses (a tenant's) gets nothing from the same name.
      const tenants = await send(url, {}, '{}', { resolve, privateAllowed: false });
      expect(tenants).toEqual({ status: null, error: expect.stringMatching(/resolved to 127\.0\.0\.1: loopback and private addresses/) });
      expect(hits).toBe(1);

      answer = '169.254.169.254';
      const refused = await send(url, {}, '{}', { resolve, privateAllowed: true });
      expect(refused.status).toBeNull();
      expect(refused.error).toMatch(/hooks\.example\.test resolved to 169\.254\.169\.254: link-local and cloud-metadata/);
      expect(hits).toBe(1);
    });

    it('refuses a literal forbidden address without connecting', async () => {
      expect(await send(new URL('http://169.254.169.254/latest/meta-data/'), {}, '{}', { privateAllowed: true })).toEqual({ status: null, error: expect.stringMatching(/link-local/) });
    });

    it('times out a receiver that does not answer', async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const result = await send(new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`), {}, '{}', { timeoutMs: 300, privateAllowed: true });
        expect(result).toEqual({ status: null, error: 'no answer within 0.3 s' });
      } finally {
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });
});

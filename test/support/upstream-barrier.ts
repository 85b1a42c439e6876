import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A forwarding proxy in front of a simulator that holds the requests whose path ends with `hold`
 * until `count` of them are waiting, then lets them all through at once: concurrent hub requests
 * then reach the step after the upstream call at the same moment, so a race there shows every time
 * instead of once in a while. Every other request is forwarded at once.
 */
export class UpstreamBarrier {
  private server!: Server;
  private waiting: (() => void)[] = [];
  baseUrl = '';

  private constructor(
    private readonly target: string,
    private readonly hold: string,
    public count: number,
  ) {}

  static async start(targetBaseUrl: string, hold: string, count: number): Promise<UpstreamBarrier> {
    const barrier = new UpstreamBarrier(targetBaseUrl, hold, count);
    const target = new URL(targetBaseUrl);
    barrier.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (req.url!.split('?')[0]!.endsWith(barrier.hold)) await barrier.arrive();
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'connection')) as Record<string, string>;
        try {
          const upstream = await fetch(`${target.origin}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
          const body = Buffer.from(await upstream.arrayBuffer());
          res.writeHead(upstream.status, Object.fromEntries([...upstream.headers].filter(([name]) => !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name))));
          res.end(body);
        } catch {
          // The simulator closed (the test is ending): the hub sees an upstream that is gone.
          res.destroy();
        }
      });
    });
    await new Promise<void>((resolve) => barrier.server.listen(0, '127.0.0.1', resolve));
    barrier.baseUrl = `http://127.0.0.1:${(barrier.server.address() as AddressInfo).port}${target.pathname.replace(/\/$/, '')}`;
    return barrier;
  }

  private arrive(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length >= this.count) {
        const all = this.waiting;
        this.waiting = [];
        for (const release of all) release();
      }
    });
  }

  async close(): Promise<void> {
    for (const release of this.waiting) release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

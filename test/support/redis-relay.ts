import { createConnection, createServer, Server, Socket } from 'node:net';
import { REDIS_URL } from './redis';

/** A TCP relay to the test Redis that can be cut and restored, to play "Redis went away". */
export async function redisRelay(port = 0): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  let server: Server;
  let boundPort = port;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnection(Number(target.port || 6379), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(boundPort, '127.0.0.1', () => {
        boundPort = (server.address() as { port: number }).port;
        resolve();
      });
    });
  const cut = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  };
  await listen();
  return { port: boundPort, cut, restore: listen, close: cut };
}

import { createServer, request, Server } from 'node:http';

export interface Backend {
  name: string;
  port: number;
  /** False once its process has exited: the proxy skips it. */
  up: boolean;
}

/**
 * A small round-robin HTTP proxy for the local cluster recipe: each request goes to the next
 * replica that is up; a GET or HEAD whose replica refuses the connection is tried on the next one
 * (nothing was sent yet), anything else gets 502. Streams both ways; not meant for production
 * (use your load balancer there).
 */
export function roundRobinProxy(backends: Backend[]): Server {
  let next = 0;
  const pick = (): Backend | undefined => {
    for (let i = 0; i < backends.length; i++) {
      const backend = backends[(next + i) % backends.length]!;
      if (backend.up) {
        next = (next + i + 1) % backends.length;
        return backend;
      }
    }
    return undefined;
  };
  return createServer((req, res) => {
    const retryable = req.method === 'GET' || req.method === 'HEAD';
    const send = (triesLeft: number) => {
      const backend = pick();
      if (!backend) {
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 503, message: 'No hub replica is up' }));
        return;
      }
      const upstream = request({ host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-hub-replica': backend.name });
        answer.pipe(res);
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (res.headersSent) return void res.destroy();
        if (retryable && error.code === 'ECONNREFUSED' && triesLeft > 1) return send(triesLeft - 1);
        res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 502, message: `Replica ${backend.name} failed: ${error.code ?? error.message}` }));
      });
      res.on('close', () => upstream.destroy());
      if (retryable) upstream.end();
      else req.pipe(upstream);
    };
    send(backends.length);
  });
}

import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultAnswerKind, FaultInjector, FaultKind, FaultSettings } from './faults';
import { readJson, sendJson, sendMalformed, sendText } from './http-kit';

/** One answer of a simulated API, before faults and transport. */
export interface SimAnswer {
  status: number;
  body?: unknown;
  /** The body already serialised (a cached answer); sent instead of `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface SimRequest {
  method: string;
  /** Path below the API prefix. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Absolute base URL of the simulator (with prefix), for links the API builds. */
  baseUrl: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface SimDefinition {
  /** Path prefix of the API (`/api/v1` for JetBrains, none for Atlassian). */
  prefix: string;
  handle(request: SimRequest): SimAnswer;
  /** How this upstream says "too many requests" and "server error". */
  /** `headers` are the request's, for the faults that echo the credentials they carried. */
  faultAnswer(kind: FaultAnswerKind, faults: FaultInjector, headers: Record<string, string | string[] | undefined>): SimAnswer;
  /** Extra `/__sim/*` control routes of this simulator (dataset, behaviour switches). */
  control?(route: string, input: Record<string, unknown>): SimAnswer | null;
  state?(): Record<string, unknown>;
}

export interface RunningSim {
  baseUrl: string;
  port: number;
  faults: FaultInjector;
  /** The last API requests as received, newest last; for tests. */
  requests: RecordedRequest[];
  server: Server;
  /**
   * Connections open right now, and how many of them carry a response not yet fully sent: a
   * proxy that stops reading a body leaves the second number up for good.
   */
  connections(): { open: number; busy: number };
  /** Closes every connection not carrying a response, as a keep-alive timeout would. */
  closeIdle(): void;
  close(): Promise<void>;
}

/**
 * The transport every simulator shares: routing under a prefix, fault injection, a concurrency
 * limit, a request log and the `/__sim/*` control surface for tests and benchmarks.
 */
export async function startSimServer(definition: SimDefinition, options: { port?: number; faults?: Partial<FaultSettings> }): Promise<RunningSim> {
  const faults = new FaultInjector(options.faults);
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  let baseUrl = '';
  let busy = 0;
  /** Connections with a response in progress. */
  const working = new Set<Socket>();

  const server = createServer((req, res) => {
    busy += 1;
    working.add(req.socket);
    let counted = true;
    const settle = () => {
      if (counted) busy -= 1;
      counted = false;
      working.delete(req.socket);
    };
    res.once('finish', settle);
    res.once('close', settle);
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: err.message });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/__sim/')) return control(req, res, url);
    const { prefix } = definition;
    // A large body streamed without buffering, under the API prefix so it can be reached through the
    // hub's proxy: the benchmark's proof that the proxy streams (no real API endpoint is this big).
    if (url.pathname === `${prefix}/__sim/blob`) return streamBlob(res, Number(url.searchParams.get('mb') ?? 1), url.searchParams.get('cut') === 'true');
    // A slow answer for the proxy's tests only (syncs and token checks stay fast): reads the body,
    // waits `ms`, then says how many body bytes arrived, or streams `kb` of JSON instead.
    if (url.pathname === `${prefix}/__sim/slow`) return slowAnswer(req, res, Number(url.searchParams.get('ms') ?? 1000), Number(url.searchParams.get('kb') ?? 0));
    if (prefix && !url.pathname.startsWith(prefix + '/') && url.pathname !== prefix) {
      return sendJson(res, 404, { error: `No endpoint ${req.method} ${url.pathname}` });
    }
    const body = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH' ? await readJson(req) : { ok: true as const, value: undefined };
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers }, body: body.ok ? body.value : '<invalid json>' });
    if (requests.length > 200) requests.shift();
    const fault: FaultKind = faults.decide();
    await faults.withinLimit(async () => {
      switch (fault) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'hang':
          return new Promise<void>((resolve) => req.socket.once('close', resolve));
        case 'huge':
          return streamBlob(res, faults.settings.hugeBodyMb, false, true);
        case '429':
        case '429-retry-after':
        case '500':
        case '503':
        case '500-echo':
        case '401-echo': {
          const answer = definition.faultAnswer(fault, faults, req.headers);
          return sendJson(res, answer.status, answer.body, answer.headers);
        }
      }
      if (!body.ok) return sendJson(res, 400, { error: 'Request body is not valid JSON' });
      const answer = definition.handle({
        method: req.method ?? 'GET',
        path: url.pathname.slice(prefix.length) || '/',
        query: url.searchParams,
        headers: req.headers,
        body: body.value,
        baseUrl,
      });
      if (fault === 'malformed' && answer.status === 200) return sendMalformed(res, answer.body);
      if (answer.rawBody !== undefined) return sendText(res, answer.status, answer.rawBody, answer.headers);
      sendJson(res, answer.status, answer.body, answer.headers);
    }, fault === 'slow' ? faults.settings.slowMs : 0);
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /__sim/state') {
      return sendJson(res, 200, { faults: faults.settings, stats: faults.stats, connections: { open: sockets.size, busy: busy - 1 }, ...definition.state?.() });
    }
    const body = await readJson(req);
    if (!body.ok) return sendJson(res, 400, { error: 'body must be JSON' });
    const input = (body.value ?? {}) as Record<string, unknown>;
    if (route === 'PUT /__sim/faults') {
      faults.update(input as Partial<FaultSettings>);
      return sendJson(res, 200, faults.settings);
    }
    if (route === 'POST /__sim/stats/reset') {
      faults.resetStats();
      return sendJson(res, 200, faults.stats);
    }
    const answer = definition.control?.(route, input);
    if (answer) return sendJson(res, answer.status, answer.body);
    sendJson(res, 404, { error: `unknown control ${route}` });
  }

  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}${definition.prefix}`;
  return {
    baseUrl,
    port,
    faults,
    requests,
    server,
    connections: () => ({ open: sockets.size, busy }),
    closeIdle: () => {
      for (const socket of sockets) if (!working.has(socket)) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * `mb` megabytes of a JSON array, written chunk by chunk with backpressure (never held in memory).
 * `cut`: the connection is reset halfway through the body, as a failing upstream would.
 * `chunked`: no Content-Length, so the reader only learns the size by reading.
 */
async function streamBlob(res: ServerResponse, mb: number, cut = false, chunked = false): Promise<void> {
  const chunk = Buffer.from(JSON.stringify(Array.from({ length: 1024 }, (_, i) => ({ i, pad: 'x'.repeat(40) }))).slice(1, -1) + ',');
  const total = Math.max(1, Math.round(mb * 1024 * 1024));
  const count = Math.ceil(total / chunk.length);
  res.writeHead(200, { 'Content-Type': 'application/json', ...(chunked ? {} : { 'Content-Length': String(count * chunk.length + 1) }) });
  res.write('[');
  let gone = false;
  res.once('close', () => (gone = true, res.emit('drain')));
  for (let i = 0; i < count; i++) {
    if (gone || res.destroyed) return; // the reader hung up
    if (cut && i === Math.floor(count / 2)) return void res.socket?.destroy();
    const piece = i === count - 1 ? Buffer.concat([chunk.subarray(0, chunk.length - 1), Buffer.from(']')]) : chunk;
    if (!res.write(piece)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

async function slowAnswer(req: IncomingMessage, res: ServerResponse, ms: number, kb: number): Promise<void> {
  let received = 0;
  for await (const chunk of req) received += (chunk as Buffer).length;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => (clearTimeout(timer), resolve()));
  });
  if (res.destroyed) return;
  // A big answer is streamed (many clients at once must not cost the simulator memory).
  if (kb > 0) return streamBlob(res, kb / 1024);
  sendJson(res, 200, { received });
}

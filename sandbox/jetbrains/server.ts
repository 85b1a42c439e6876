import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector, FaultSettings } from '../shared/faults';
import { readJson, sendJson, sendMalformed } from '../shared/http-kit';
import { ApiBehaviour, JetbrainsApi } from './api';
import { buildDataset, DatasetName, JetbrainsDataset } from './dataset';

export const API_PREFIX = '/api/v1';

export interface JetbrainsSimulatorOptions {
  port?: number;
  dataset?: DatasetName | string | JetbrainsDataset;
  faults?: Partial<FaultSettings>;
  behaviour?: Partial<ApiBehaviour>;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface JetbrainsSimulator {
  /** Base URL to configure as JETBRAINS_BASE_URL. */
  baseUrl: string;
  port: number;
  api: JetbrainsApi;
  faults: FaultInjector;
  /** The last API requests as received (method, URL, headers), newest last; for tests. */
  requests: RecordedRequest[];
  server: Server;
  close(): Promise<void>;
}

/**
 * A local JetBrains Account API (reference §1 and §6): same paths under /api/v1, headers, paging
 * and error bodies, plus fault injection. `/__sim/*` is the control surface for tests and benchmarks.
 */
export async function startJetbrainsSimulator(options: JetbrainsSimulatorOptions = {}): Promise<JetbrainsSimulator> {
  const dataset = typeof options.dataset === 'object' ? options.dataset : buildDataset(options.dataset ?? 'tiny');
  const api = new JetbrainsApi(dataset, { assignedDefault: 'all', apiDisabled: false, sendTotalCount: true, ...options.behaviour });
  const faults = new FaultInjector(options.faults);
  const sockets = new Set<import('node:net').Socket>();
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res, api, faults, baseUrl, requests).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, { code: 'INTERNAL_ERROR', description: err.message });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}${API_PREFIX}`;
  return {
    baseUrl,
    port,
    api,
    faults,
    requests,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  api: JetbrainsApi,
  faults: FaultInjector,
  baseUrl: string,
  log: RecordedRequest[],
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname.startsWith('/__sim/')) return control(req, res, url, api, faults);
  if (!url.pathname.startsWith(API_PREFIX + '/') && url.pathname !== API_PREFIX) {
    return sendJson(res, 404, { code: 'NOT_FOUND', description: `No endpoint ${req.method} ${url.pathname}` });
  }
  const body = req.method === 'POST' || req.method === 'PUT' ? await readJson(req) : { ok: true as const, value: undefined };
  log.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers }, body: body.ok ? body.value : '<invalid json>' });
  if (log.length > 200) log.shift();
  const fault = faults.decide();
  await faults.withinLimit(async () => {
    switch (fault) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return new Promise<void>((resolve) => req.socket.once('close', resolve));
      case '429':
        return sendJson(res, 429, { code: 'TOO_MANY_REQUESTS', description: 'Rate limit exceeded' });
      case '429-retry-after':
        return sendJson(res, 429, { code: 'TOO_MANY_REQUESTS', description: 'Rate limit exceeded' }, {
          'Retry-After': faults.retryAfterValue(),
        });
      case '500':
        return sendJson(res, 500, { code: 'INTERNAL_ERROR', description: 'Internal server error' });
      case '503':
        return sendJson(res, 503, { code: 'SERVICE_UNAVAILABLE', description: 'Service temporarily unavailable' });
    }
    if (!body.ok) return sendJson(res, 400, { code: 'INVALID_REQUEST_BODY', description: 'Request body is not valid JSON' });
    const answer = api.handle({
      method: req.method ?? 'GET',
      path: url.pathname.slice(API_PREFIX.length) || '/',
      query: url.searchParams,
      headers: req.headers,
      body: body.value,
      selfUrl: `${baseUrl}${url.pathname.slice(API_PREFIX.length)}`,
    });
    if (fault === 'malformed' && answer.status === 200) return sendMalformed(res, answer.body);
    sendJson(res, answer.status, answer.body, answer.headers);
  }, fault === 'slow' ? faults.settings.slowMs : 0);
}

async function control(req: IncomingMessage, res: ServerResponse, url: URL, api: JetbrainsApi, faults: FaultInjector): Promise<void> {
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /__sim/state') {
    return sendJson(res, 200, { faults: faults.settings, stats: faults.stats, behaviour: api.behaviour, licenses: api.dataset.licenses.length });
  }
  const body = await readJson(req);
  if (!body.ok) return sendJson(res, 400, { error: 'body must be JSON' });
  const input = (body.value ?? {}) as Record<string, unknown>;
  switch (route) {
    case 'PUT /__sim/faults':
      faults.update(input as Partial<FaultSettings>);
      return sendJson(res, 200, faults.settings);
    case 'PUT /__sim/behaviour':
      Object.assign(api.behaviour, input);
      return sendJson(res, 200, api.behaviour);
    case 'POST /__sim/stats/reset':
      faults.resetStats();
      return sendJson(res, 200, faults.stats);
    case 'PUT /__sim/dataset':
      api.dataset = buildDataset(String(input.name ?? 'tiny'));
      return sendJson(res, 200, { licenses: api.dataset.licenses.length });
    default:
      return sendJson(res, 404, { error: `unknown control ${route}` });
  }
}

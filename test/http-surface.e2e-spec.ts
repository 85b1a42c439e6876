import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startHub, TestHub, TEST_API_KEY } from './support/hub-harness';

/**
 * The HTTP surface around the routes: the key is checked first (docs and unknown routes included),
 * bodies are refused early and clearly, and every error has the hub's shape with a details.code.
 */
describe('HTTP surface', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(() => hub.close());

  const expectShape = (body: Record<string, unknown>, status: number, code: string) => {
    expect(body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String), details: { code } });
  };

  /** The hub's port, on 127.0.0.1 (listening first if no supertest request has made it listen yet). */
  const listeningPort = async (): Promise<number> => {
    const server = hub.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };

  /** Writes `raw` on a new connection and keeps it open: what came back, and whether the hub closed it within 3 s. */
  const rawExchange = async (raw: string): Promise<{ received: string; closed: boolean }> => {
    const socket = connect(await listeningPort(), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 3000);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
      socket.write(raw);
    });
    socket.destroy();
    return { received, closed };
  };

  it.each(['/docs', '/docs/', '/docs-json', '/docs-yaml', '/DOCS-YAML', '/docs-yaml/', '/Docs-Json', '/DOCS', '/docs/swagger-ui-init.js'])(
    'keeps %s behind the API key',
    async (path) => {
      const res = await hub.raw().get(path).expect(401);
      expectShape(res.body, 401, 'UNAUTHORIZED');
      expect(res.text).not.toMatch(/openapi/i);
    },
  );

  it('serves the OpenAPI document (JSON and YAML) with the key', async () => {
    expect((await hub.get('/docs-json').expect(200)).body.openapi).toMatch(/^3\./);
    expect((await hub.get('/DOCS-YAML').expect(200)).text).toMatch(/^openapi: /m);
  });

  it('leaves /health public, in any case, and never sends X-Powered-By', async () => {
    const res = await hub.raw().get('/health').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    await hub.raw().get('/HEALTH/').expect(200);
    expect((await hub.get('/integrations').expect(200)).headers['x-powered-by']).toBeUndefined();
    expect((await hub.raw().post('/health').expect(401)).body.details.code).toBe('UNAUTHORIZED');
  });

  it('tells browsers and proxies to store no answer: they depend on who asks', async () => {
    const answers: [string, { headers: Record<string, string> }][] = [
      ['a list', await hub.get('/integrations').expect(200)],
      ['no key', await hub.raw().get('/integrations').expect(401)],
      ['no route', await hub.get('/no-such-route').expect(404)],
      ['unknown connect link', await hub.raw().get('/connect-sessions/current').set('Authorization', 'Bearer hubcs_doesnotexist0000000000000000').expect(404)],
      ['health', await hub.raw().get('/health').expect(200)],
    ];
    for (const [what, res] of answers) expect({ what, cache: res.headers['cache-control'] }).toEqual({ what, cache: 'no-store' });
  });

  it('answers 401 before reading the body: no JSON error, no 413 without the key', async () => {
    const bad = await hub.raw().post('/integrated-accounts').set('Content-Type', 'application/json').send('{not json').expect(401);
    expectShape(bad.body, 401, 'UNAUTHORIZED');
    const big = await hub.raw().post('/integrated-accounts').set('Content-Type', 'application/json').send('"' + 'x'.repeat(2_000_000) + '"');
    expect(big.status).toBe(401);
  });

  it('does not hold the connection of an unauthenticated slow body', async () => {
    const socket = connect(await listeningPort(), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    socket.write('POST /integrated-accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":');
    // Keep trickling the body: the hub must still close the connection.
    const trickle = setInterval(() => socket.writable && socket.write(' '), 100);
    const started = Date.now();
    const closedAt = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 3000))]);
    clearInterval(trickle);
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 401/);
    expect(closedAt).not.toBe(-1);
    expect(closedAt - started).toBeLessThan(3000);
  });

  it('answers what Node refuses before routing (headers too large, not HTTP) in the hub error shape, and closes', async () => {
    const exchange = async (raw: string) => {
      const { received, closed } = await rawExchange(raw);
      expect(closed).toBe(true);
      const [head, body] = received.split('\r\n\r\n');
      return { head: head!, body: JSON.parse(body!) as Record<string, unknown> };
    };
    const large = await exchange(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(large.head).toMatch(/^HTTP\/1\.1 431 /);
    expect(large.head).toMatch(/content-type: application\/json/i);
    expectShape(large.body, 431, 'HEADERS_TOO_LARGE');
    expect(large.body.message).toMatch(/headers are larger than the hub accepts/);
    const garbage = await exchange('HELLO THERE\r\n\r\n');
    expect(garbage.head).toMatch(/^HTTP\/1\.1 400 /);
    expectShape(garbage.body, 400, 'BAD_REQUEST');
    // The server goes on serving.
    await hub.raw().get('/health').expect(200);
  });

  it('never answers a malformed request pipelined behind a good one as if it were the good one, and closes a garbage connection', async () => {
    const pipelined = await rawExchange('GET /health HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n');
    expect(pipelined.closed).toBe(true);
    expect(pipelined.received).not.toMatch(/^HTTP\/1\.1 400/);
    // Garbage alone: answered, then closed by the hub although the client keeps its side open.
    const lone = await rawExchange('GARBAGE\r\n\r\n');
    expect(lone.closed).toBe(true);
    expect(lone.received).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('refuses JSON nested deeper than 32 levels with 400 before validation', async () => {
    const deep = '['.repeat(3000) + ']'.repeat(3000);
    const res = await hub.raw().post('/integrated-accounts').set('Authorization', `Bearer ${TEST_API_KEY}`)
      .set('Content-Type', 'application/json').send(`{"integration":"jetbrains","credentials":${deep}}`).expect(400);
    expectShape(res.body, 400, 'VALIDATION_FAILED');
    expect(res.body.message).toMatch(/more than 32 levels deep/);
    // Brackets inside strings do not count, and 32 levels still reach validation.
    const inString = JSON.stringify({ integration: '['.repeat(100), credentials: {} });
    const ok = await hub.raw().post('/integrated-accounts').set('Authorization', `Bearer ${TEST_API_KEY}`)
      .set('Content-Type', 'application/json').send(inString);
    expect(ok.body.message).not.toMatch(/levels deep/);
    const at32 = '['.repeat(30) + ']'.repeat(30);
    const res32 = await hub.post('/integrated-accounts', JSON.parse(`{"integration":"jetbrains","credentials":${at32}}`));
    expect(res32.body.message).not.toMatch(/levels deep/);
  });

  it('needs the key for unknown routes, then answers 404 in the hub shape', async () => {
    expect((await hub.raw().put('/no-such-route').expect(401)).body.details.code).toBe('UNAUTHORIZED');
    for (const res of [await hub.get('/no-such-route'), await hub.raw().put('/no-such-route').set('Authorization', `Bearer ${TEST_API_KEY}`).send({ a: 1 })]) {
      expect(res.status).toBe(404);
      expectShape(res.body, 404, 'NOT_FOUND');
      expect(res.body.message).toMatch(/No route (GET|PUT) \/no-such-route.*\/docs/);
    }
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const put = await hub.raw().put('/integrations').set('Authorization', `Bearer ${TEST_API_KEY}`).send({}).expect(405);
    expectShape(put.body, 405, 'METHOD_NOT_ALLOWED');
    expect(put.headers.allow).toBe('GET, HEAD');
    const get = await hub.get('/integrated-accounts/some-id/sync').expect(405);
    expectShape(get.body, 405, 'METHOD_NOT_ALLOWED');
    expect(get.headers.allow).toBe('POST');
    expect(get.body.message).toMatch(/accepts POST/);
  });

  it('asks for Content-Type: application/json when a body is not JSON', async () => {
    const res = await hub.raw().post('/integrated-accounts').set('Authorization', `Bearer ${TEST_API_KEY}`)
      .set('Content-Type', 'text/plain').send('integration=jetbrains').expect(415);
    expectShape(res.body, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.message).toMatch(/send Content-Type: application\/json/);
    const form = await hub.raw().post('/integrated-accounts').set('Authorization', `Bearer ${TEST_API_KEY}`).type('form').send({ integration: 'jetbrains' }).expect(415);
    expect(form.body.message).toMatch(/application\/x-www-form-urlencoded/);
  });

  it('tells a body that is valid JSON but not an object from one that is not JSON', async () => {
    const post = (body: string) => hub.raw().post('/integrated-accounts').set('Authorization', `Bearer ${TEST_API_KEY}`).set('Content-Type', 'application/json').send(body).expect(400);
    for (const [body, what] of [['null', 'null'], ['42', 'a number'], ['"jetbrains"', 'a string'], ['true', 'a boolean']] as const) {
      const res = await post(body);
      expectShape(res.body, 400, 'VALIDATION_FAILED');
      expect(res.body.message).toBe(`The request body must be a JSON object ({ … }), not ${what}.`);
    }
    expect((await post('{"integration": ')).body.message).toBe('The request body is not valid JSON.');
  });

  it('gives invalid percent-encoding in a path a 400 with a code', async () => {
    for (const res of [await hub.get('/integrated-accounts/%ff'), await hub.raw().delete('/integrated-accounts/%ff').set('Authorization', `Bearer ${TEST_API_KEY}`)]) {
      expect(res.status).toBe(400);
      expectShape(res.body, 400, 'BAD_REQUEST');
      expect(res.body.message).toMatch(/percent-encoding/);
    }
  });

  it('gives body errors a code', async () => {
    const res = await hub.raw().post('/integrated-accounts').set('Authorization', `Bearer ${TEST_API_KEY}`)
      .set('Content-Type', 'application/json').send('{nope').expect(400);
    expectShape(res.body, 400, 'VALIDATION_FAILED');
  });
});

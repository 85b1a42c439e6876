import { readFileSync } from 'node:fs';
import { OPENAPI_FILE, renderOpenApi } from '../scripts/openapi';
import { connect, useFixture } from './support/fixture';
import { startHub, TestHub } from './support/hub-harness';

/**
 * The committed openapi.json is what the code produces (the web page's client is generated from
 * it), and the document says what the hub really does: its error body, its security schemes, the
 * proxy's path parameter.
 */
describe('OpenAPI document', () => {
  const fx = useFixture();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
  let doc: any;
  let rendered: string;

  beforeAll(async () => {
    rendered = await renderOpenApi();
    doc = JSON.parse(rendered);
  });

  it('is committed as the code produces it', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    if (committed !== rendered) throw new Error('openapi.json differs from what the code produces: run `npm run openapi` and commit openapi.json');
    expect(rendered.endsWith('}\n')).toBe(true);
  });

  it('is the document /docs-json serves', async () => {
    const hub: TestHub = await startHub();
    try {
      const served = (await hub.get('/docs-json').expect(200)).body;
      expect(served).toEqual(doc);
    } finally {
      await hub.close();
    }
  });

  it('has keys in a stable order', () => {
    const keys = Object.keys(doc.paths);
    expect(keys).toEqual([...keys].sort());
    expect(Object.keys(doc.components.schemas)).toEqual(Object.keys(doc.components.schemas).sort());
  });

  it('describes the proxy path as a parameter', () => {
    const get = doc.paths['/proxy/{path}'].get;
    const param = get.parameters.find((p: { in: string; name: string }) => p.in === 'path' && p.name === 'path');
    expect(param).toMatchObject({ required: true, schema: { type: 'string' } });
    expect(param.description).toMatch(/%2F/);
    expect(get.responses['502']).toBeDefined();
  });

  it('Try-it-out\'s encoded proxy path (%2F) reaches the same upstream path', async () => {
    const { hub } = await fx.jetbrains({ dataset: 'tiny' });
    const { id } = await connect(hub);
    const plain = await hub.get(`/proxy/customer/licenses?perPage=2&integrated_account_id=${id}`).expect(200);
    const encoded = await hub.get(`/proxy/customer%2Flicenses?perPage=2&integrated_account_id=${id}`).expect(200);
    expect(encoded.body).toEqual(plain.body);
    await hub.get(`/proxy/customer%2F..%2F..%2Fadmin?integrated_account_id=${id}`).expect(400);
  });

  it('names the opaque key, the session cookie and the connect token as its security schemes', () => {
    const schemes = doc.components.securitySchemes;
    expect(schemes.api_key).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.api_key.bearerFormat).not.toMatch(/JWT/);
    expect(schemes.session_cookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'hub_session' });
    expect(schemes.connect_token).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.values<{ bearerFormat?: string }>(schemes).filter((s) => /JWT/.test(s.bearerFormat ?? ''))).toEqual([]);
    expect(doc.paths['/integrated-accounts'].get.security).toEqual([{ api_key: [] }, { session_cookie: [] }]);
    expect(doc.paths['/health'].get.security).toBeUndefined();
  });

  it('gives every error answer the one error body, and the answers each route can give', () => {
    const ref = { $ref: '#/components/schemas/ErrorBody' };
    expect(doc.components.schemas.ErrorBody.properties.details.required).toEqual(['code']);
    let errors = 0;
    for (const [path, item] of Object.entries<Record<string, { responses: Record<string, { content?: unknown }> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (!(Number(status) >= 400)) continue;
          errors++;
          if (JSON.stringify(response.content) !== JSON.stringify({ 'application/json': { schema: ref } })) throw new Error(`${method} ${path} ${status}: not the ErrorBody`);
        }
        if (!Object.keys(op.responses).some((status) => status.startsWith('2') || status === 'default')) throw new Error(`${method} ${path}: no success answer`);
        if ((op as { 'x-hub-public'?: boolean })['x-hub-public']) continue;
        for (const status of ['401', '429']) if (!op.responses[status]) throw new Error(`${method} ${path}: no ${status}`);
      }
    }
    expect(errors).toBeGreaterThan(100);
    for (const method of ['get', 'post']) expect(Object.keys(doc.paths['/session'][method].responses)).toEqual(expect.arrayContaining(['401', '429']));
    expect(doc.paths['/health'].get.responses['401']).toBeUndefined();
    const create = doc.paths['/integrated-accounts'].post.responses;
    expect(Object.keys(create)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '429', '502']));
    expect(Object.keys(doc.paths['/integrated-accounts/{id}'].get.responses)).toEqual(expect.arrayContaining(['200', '401', '404', '429']));
    expect(Object.keys(doc.paths['/connect-sessions/current/accounts'].post.responses)).toEqual(expect.arrayContaining(['201', '401', '403', '404', '409', '410', '502']));
    expect(doc.paths['/connect-sessions/current'].get.security).toEqual([{ connect_token: [] }]);
    expect(Object.keys(doc.paths['/unified/user-directory/users'].get.responses)).toEqual(expect.arrayContaining(['503', '502', '504']));
  });

  it('describes every field of every schema', () => {
    const missing: string[] = [];
    for (const [name, schema] of Object.entries<{ properties?: Record<string, { description?: string }> }>(doc.components.schemas)) {
      for (const [field, property] of Object.entries(schema.properties ?? {})) if (!property.description) missing.push(`${name}.${field}`);
    }
    expect(missing).toEqual([]);
  });
});

import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { ATLASSIAN_CREDENTIALS, capturedLogs, JETBRAINS_CREDENTIALS, TestHub, useFixture } from './support/fixture';

/**
 * POST /integrated-accounts/test-credentials: what credentials give access to before they are
 * saved; for credentials that do not work, exactly the answer a connect gives; nothing stored.
 */
describe('testing credentials before connecting', () => {
  const fx = useFixture();
  let hub: TestHub;
  const WRONG_TOKEN = 'wrong-token-never-valid-0123456789';

  beforeAll(async () => {
    const jetbrains = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const atlassian = await fx.atlassianSimulator({ dataset: 'tiny' });
    hub = await fx.hub({ JETBRAINS_BASE_URL: jetbrains.baseUrl, ATLASSIAN_BASE_URL: atlassian.baseUrl });
  });

  const test = (body: object) => hub.post('/integrated-accounts/test-credentials', body);
  const accounts = async () => (await hub.get('/integrated-accounts?limit=200').expect(200)).body.result.length;

  it('answers what working credentials give access to, storing nothing, and audits it', async () => {
    const res = await test({ integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS }).expect(200);
    expect(res.body).toEqual({ ok: true, integration: 'jetbrains', access: expect.objectContaining({ organization: { id: String(SIM_CUSTOMER_CODE), name: expect.any(String) } }) });
    expect(res.text).not.toContain(SIM_ADMIN_TOKEN);
    const atl = await test({ integration: 'atlassian', credentials: ATLASSIAN_CREDENTIALS }).expect(200);
    expect(atl.body.access.organization.id).toEqual(expect.any(String));
    expect(atl.body.access.extra.apis).toBeDefined();
    expect(await accounts()).toBe(0);
    const audit = (await hub.get('/audit-events?action=credentials.tested&limit=5').expect(200)).body.result;
    expect(audit[0]).toMatchObject({ outcome: 'success', status: 200, target: { type: null, id: null }, details: { integration: 'atlassian' } });
    expect(audit[1]).toMatchObject({ details: { integration: 'jetbrains', organization_id: String(SIM_CUSTOMER_CODE) } });
  });

  it.each([
    ['a rejected token', { integration: 'jetbrains', credentials: { customer_code: String(SIM_CUSTOMER_CODE), api_key: WRONG_TOKEN } }, 400, 'UPSTREAM_AUTH_FAILED'],
    ['a missing field', { integration: 'jetbrains', credentials: { customer_code: String(SIM_CUSTOMER_CODE) } }, 400, 'VALIDATION_FAILED'],
    ['a wrong format', { integration: 'jetbrains', credentials: { customer_code: 'abc', api_key: WRONG_TOKEN } }, 400, 'VALIDATION_FAILED'],
    ['an unknown field', { integration: 'jetbrains', credentials: { ...JETBRAINS_CREDENTIALS, password: WRONG_TOKEN } }, 400, 'VALIDATION_FAILED'],
    ['an unknown integration', { integration: 'salesforce', credentials: {} }, 400, 'UNKNOWN_INTEGRATION'],
    ['no credentials', { integration: 'jetbrains' }, 400, 'VALIDATION_FAILED'],
    ['a rejected Atlassian key', { integration: 'atlassian', credentials: { api_key: WRONG_TOKEN } }, 400, 'UPSTREAM_AUTH_FAILED'],
  ])('%s: exactly the answer POST /integrated-accounts gives, nothing stored', async (_case, body, status, code) => {
    const tested = await test(body).expect(status);
    const connected = await hub.post('/integrated-accounts', body).expect(status);
    expect(tested.body).toEqual(connected.body);
    expect(tested.body.details.code).toBe(code);
    expect(tested.body.message).toEqual(expect.any(String));
    expect(tested.text).not.toContain(WRONG_TOKEN);
    expect(await accounts()).toBe(0);
  });

  it('names what to check when the upstream refuses, and audits the failure without the token', async () => {
    const res = await test({ integration: 'jetbrains', credentials: { customer_code: String(SIM_CUSTOMER_CODE), api_key: WRONG_TOKEN } }).expect(400);
    expect(res.body.message).toMatch(/JetBrains rejected these credentials: check the Customer code and API token/);
    const audit = (await hub.get('/audit-events?action=credentials.tested&limit=1').expect(200)).body.result[0];
    expect(audit).toMatchObject({ outcome: 'failure', status: 400, error_code: 'UPSTREAM_AUTH_FAILED' });
    expect(JSON.stringify(audit)).not.toContain(WRONG_TOKEN);
  });

  it('needs an admin key; a tenant admin key may test', async () => {
    const read = (await hub.post('/api-keys', { name: 'r', scope: 'read' }).expect(201)).body.key;
    const tenant = (await hub.post('/api-keys', { name: 't', scope: 'admin', tenant_id: 'acme' }).expect(201)).body.key;
    const body = { integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS };
    const refused = await hub.raw().post('/integrated-accounts/test-credentials').set('Authorization', `Bearer ${read}`).send(body).expect(403);
    expect(refused.body.details.code).toBe('FORBIDDEN_SCOPE');
    await hub.raw().post('/integrated-accounts/test-credentials').set('Authorization', `Bearer ${tenant}`).send(body).expect(200);
    await hub.raw().post('/integrated-accounts/test-credentials').send(body).expect(401);
  });

  afterAll(() => {
    expect(capturedLogs.join('\n')).not.toContain(WRONG_TOKEN);
  });
});

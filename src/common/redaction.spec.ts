import { HubError } from './errors';
import { currentRedactor, redact, REDACTED, Redactor, withRedaction } from './redaction';

const KEY = 'sim-admin-token-0123456789';
const redactor = Redactor.forCredentials({ customer_code: '1234567', api_key: KEY }, ['api_key']);

describe('Redactor', () => {
  it('redacts every credential value, case-insensitively, and merges adjacent hits into one mark', () => {
    expect(redactor.redact(`failed for key=${KEY} customer=1234567`)).toBe(`failed for key=${REDACTED} customer=${REDACTED}`);
    expect(redactor.redact(`KEY=${KEY.toUpperCase()}`)).toBe(`KEY=${REDACTED}`);
    expect(redactor.redact(`${KEY}1234567`)).toBe(REDACTED);
  });

  it('redacts the URL-encoded, JSON-escaped and base64 forms, and Basic-auth pairs', () => {
    const odd = Redactor.forCredentials({ api_key: 'a+b/c"d\\e=f&g' });
    expect(odd.redact(`q=${encodeURIComponent('a+b/c"d\\e=f&g')}`)).toBe(`q=${REDACTED}`);
    expect(odd.redact(JSON.stringify({ k: 'a+b/c"d\\e=f&g' }))).toBe(`{"k":"${REDACTED}"}`);
    const basic = Buffer.from(`1234567:${KEY}`).toString('base64');
    expect(redactor.redact(`Authorization: Basic ${basic}`)).toBe(`Authorization: Basic ${REDACTED}`);
    expect(redactor.redact(`token ${Buffer.from(KEY).toString('base64')}`)).toBe(`token ${REDACTED}`);
  });

  it('redacts any 8-character piece of a secret (a truncated echo), but not of a non-secret value', () => {
    expect(redactor.redact('key starts sim-admin-to…')).toBe(`key starts ${REDACTED}…`);
    expect(redactor.redact('ends with en-0123456789!')).toBe(`ends with ${REDACTED}!`);
    // The customer code is redacted whole only: a shorter run of its digits is ordinary text.
    expect(redactor.redact('page 123456 of 7')).toBe('page 123456 of 7');
  });

  it('redacts a value that is not secret only as a whole token, and yes/no flags not at all', () => {
    expect(redactor.redact('GET /customer/1234567/licenses')).toBe(`GET /customer/${REDACTED}/licenses`);
    expect(redactor.redact('order 91234567 and v1234567x')).toBe('order 91234567 and v1234567x');
    const atlassian = Redactor.forCredentials({ api_key: KEY, guard_enabled: 'true', org_id: 'org-1' }, ['api_key']);
    expect(atlassian.redact('expand must be true; see /orgs/org-1/users and org-12')).toBe(`expand must be true; see /orgs/${REDACTED}/users and org-12`);
  });

  it('leaves values shorter than 4 characters alone and text without credentials unchanged', () => {
    const short = Redactor.forCredentials({ org_id: 'abc' });
    expect(short.redact('abc def')).toBe('abc def');
    expect(redactor.redact('JetBrains failed with 500')).toBe('JetBrains failed with 500');
  });

  it('rebuilds a HubError with its message and details redacted, keeping code and Retry-After', () => {
    const error = new HubError('UPSTREAM_RATE_LIMITED', `nope ${KEY}`, { details: { upstream_code: `X${KEY}`, list: [KEY, 5] }, retryAfterSeconds: 7 });
    const clean = redactor.error(error) as HubError;
    expect(clean).toBeInstanceOf(HubError);
    expect(clean).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', message: `nope ${REDACTED}`, retryAfterSeconds: 7 });
    expect(clean.details).toEqual({ upstream_code: `X${REDACTED}`, list: [REDACTED, 5] });
    const plain = redactor.error(new Error(`boom ${KEY}`)) as Error;
    expect(plain.message).toBe(`boom ${REDACTED}`);
    expect(plain.stack).not.toContain(KEY);
  });

  it('withRedaction scopes redact() to the account in play and redacts errors leaving the scope', async () => {
    expect(redact(KEY)).toBe(KEY);
    const inside = await withRedaction(redactor, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return redact(`x ${KEY}`);
    });
    expect(inside).toBe(`x ${REDACTED}`);
    expect(currentRedactor()).toBe(Redactor.none);
    await expect(
      withRedaction(redactor, async () => {
        throw new HubError('UPSTREAM_UNAVAILABLE', `failed for key=${KEY}`);
      }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: `failed for key=${REDACTED}` });
    // A scope inside another knows both accounts' values.
    const other = Redactor.forCredentials({ api_key: 'other-secret-value' });
    const both = await withRedaction(redactor, () => withRedaction(other, async () => redact(`${KEY} other-secret-value`)));
    expect(both).toBe(`${REDACTED} ${REDACTED}`);
  });
});

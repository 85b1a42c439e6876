import { HubError } from '../common/errors';
import { readManifest, validateManifest } from '../integrations/manifest';
import { validateCredentials } from './credentials-validation';

const atlassian = readManifest().connectors.find((c) => c.id === 'atlassian')!;
const failure = (input: unknown): HubError => {
  try {
    validateCredentials(atlassian, input);
  } catch (error) {
    return error as HubError;
  }
  throw new Error('expected a validation failure');
};

describe('credential validation', () => {
  it.each([
    [true, 'true'],
    [false, 'false'],
    ['yes', 'true'],
    [' No ', 'false'],
    ['TRUE', 'true'],
    ['false', 'false'],
  ])('reads boolean field guard_enabled given as %j as %s', (given, stored) => {
    expect(validateCredentials(atlassian, { api_key: 'k', guard_enabled: given })).toEqual({ api_key: 'k', guard_enabled: stored });
  });

  it('leaves an optional boolean out when absent or empty', () => {
    expect(validateCredentials(atlassian, { api_key: 'k', guard_enabled: '' })).toEqual({ api_key: 'k' });
    expect(validateCredentials(atlassian, { api_key: 'k', guard_enabled: null })).toEqual({ api_key: 'k' });
  });

  it.each(['maybe', 1, 'on'])('refuses %j for a boolean field, naming it', (given) => {
    const error = failure({ api_key: 'k', guard_enabled: given });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('credentials.guard_enabled (Atlassian Guard enabled) must be true or false (or "yes" / "no")');
  });

  it('accepts the site however typed and refuses what is not a host', () => {
    for (const site of ['https://acme.atlassian.net', 'acme.atlassian.net/', 'HTTPS://Acme.Atlassian.net/']) {
      expect(validateCredentials(atlassian, { api_key: 'k', site }).site).toBe(site.trim());
    }
    expect(failure({ api_key: 'k', site: 'https://acme.atlassian.net/wiki/spaces' }).message).toMatch(/credentials.site \(Atlassian site\) has the wrong format: Your Atlassian domain, https:\/\/your-domain.atlassian.net/);
  });

  it('still refuses a boolean for a string field', () => {
    expect(failure({ api_key: true }).message).toBe('credentials.api_key (Organization API key) must be a string');
  });

  it('refuses a manifest field type it does not know', () => {
    const entry = { id: 'x', name: 'X', base_url: 'https://x.example', capabilities: [], credentials: [{ name: 'a', label: 'A', secret: false, required: false, type: 'number' }] };
    expect(() => validateManifest({ connectors: [entry] })).toThrow(/credentials\[0\].type must be one of string, boolean/);
  });
});

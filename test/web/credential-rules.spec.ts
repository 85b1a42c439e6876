import type { CredentialField } from '../../web/src/api/types';
import { fieldProblem } from '../../web/src/logic/credential-rules';

const field = (over: Partial<CredentialField>): CredentialField => ({
  name: 'customer_code',
  label: 'Customer code',
  description: null,
  secret: false,
  required: true,
  pattern: '^[0-9]{1,19}$',
  type: 'string',
  ...over,
});

describe('fieldProblem (checked in the page before anything is sent)', () => {
  it('a required field left empty or blank names the field', () => {
    expect(fieldProblem(field({}), '')).toBe('Customer code is required.');
    expect(fieldProblem(field({}), '   ')).toBe('Customer code is required.');
  });

  it('an optional field may stay empty even with a pattern', () => {
    expect(fieldProblem(field({ required: false }), '')).toBeNull();
  });

  it("checks the manifest's pattern, pointing at the field's description when there is one", () => {
    expect(fieldProblem(field({}), '12ab')).toBe('Customer code does not have the expected form.');
    expect(fieldProblem(field({ description: 'The numeric id' }), '12ab')).toBe('Customer code does not have the expected form (see above).');
    expect(fieldProblem(field({}), '1234567')).toBeNull();
    expect(fieldProblem(field({ pattern: null }), 'anything')).toBeNull();
  });
});

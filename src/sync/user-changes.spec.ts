import type { UnifiedUser } from '../connector-kit';
import { userChanges } from './user-changes';

const user = (over: Partial<UnifiedUser> = {}): UnifiedUser => ({
  id: 'ada@example.com',
  remote_id: 'ada@example.com',
  email: 'ada@example.com',
  emails: [],
  name: 'Ada Lovelace',
  first_name: 'Ada',
  last_name: 'Lovelace',
  status: 'active',
  licenses: [
    { id: 'L1', product_code: 'II', product_name: 'IntelliJ IDEA Ultimate', name: 'IntelliJ IDEA Ultimate', status: 'active', is_trial: false, team: null, subscription_pack: null, valid_until: null, assigned_at: null, last_active_at: '2026-11-01T00:00:00.000Z' },
  ],
  groups: [{ id: 'g1', name: 'Backend' }],
  last_active_at: '2026-11-01T00:00:00.000Z',
  integration: 'jetbrains',
  ...over,
});

describe('what changed in a person', () => {
  it('ignores activity alone', () => {
    const later = user({ last_active_at: '2026-11-30T00:00:00.000Z' });
    later.licenses[0] = { ...later.licenses[0]!, last_active_at: '2026-11-30T00:00:00.000Z' };
    expect(userChanges(user(), later)).toEqual([]);
  });

  it('reports status, name and email with before and after', () => {
    expect(userChanges(user(), user({ status: 'suspended', name: "Ada O'Hara", email: null }))).toEqual([
      { field: 'status', before: 'active', after: 'suspended' },
      { field: 'name', before: 'Ada Lovelace', after: "Ada O'Hara" },
      { field: 'email', before: 'ada@example.com', after: null },
    ]);
  });

  it('reports licenses and groups added and removed by id', () => {
    const after = user({
      licenses: [{ ...user().licenses[0]!, id: 'L2', product_code: 'WS' }],
      groups: [{ id: 'g1', name: 'Backend' }, { id: 'g2', name: 'Frontend' }],
    });
    expect(userChanges(user(), after)).toEqual([
      { field: 'licenses', before: [{ id: 'L1', product_code: 'II' }], after: [{ id: 'L2', product_code: 'WS' }], added: [{ id: 'L2', product_code: 'WS' }], removed: [{ id: 'L1', product_code: 'II' }] },
      {
        field: 'groups',
        before: [{ id: 'g1', name: 'Backend' }],
        after: [{ id: 'g1', name: 'Backend' }, { id: 'g2', name: 'Frontend' }],
        added: [{ id: 'g2', name: 'Frontend' }],
        removed: [],
      },
    ]);
  });

  it('takes a group renamed upstream, with the same id, as no change', () => {
    expect(userChanges(user(), user({ groups: [{ id: 'g1', name: 'Back end' }] }))).toEqual([]);
  });
});

import { receives, Subscription } from './outbox-writer';

describe('receives (which endpoints an event goes to)', () => {
  const of = (tenantId: string | null, events = ['*']): Subscription => ({ id: 'ep', events, tenantId });

  it('an endpoint without tenant takes every tenant\'s events, and those of no tenant', () => {
    for (const tenantId of ['a', 'b', null]) expect(receives(of(null), { type: 'user.added', tenantId })).toBe(true);
  });

  it('a tenant\'s endpoint takes its own tenant\'s events only: not another\'s, not untenanted ones', () => {
    expect(receives(of('a'), { type: 'user.added', tenantId: 'a' })).toBe(true);
    expect(receives(of('a'), { type: 'user.added', tenantId: 'b' })).toBe(false);
    expect(receives(of('a'), { type: 'user.added', tenantId: null })).toBe(false);
  });

  it('still only the event types it subscribes to', () => {
    expect(receives(of('a', ['sync.failed']), { type: 'user.added', tenantId: 'a' })).toBe(false);
    expect(receives(of(null, ['sync.failed']), { type: 'sync.failed', tenantId: 'b' })).toBe(true);
  });
});

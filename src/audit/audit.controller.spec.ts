import type { Request } from 'express';
import type { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import type { Principal } from '../auth/principal';
import { ROOT_PRINCIPAL } from '../auth/principal';
import { CursorCodec } from '../common/cursor-codec';
import type { AuditEventsRepository, AuditFilter } from '../store/audit-events.repository';
import { AuditController } from './audit.controller';

/** Tenants come later; a key of a tenant must already be confined to its tenant's events. */
describe('AuditController tenant confinement', () => {
  const tenantKey: Principal = { id: 'k1', root: false, scope: 'admin', tenantId: 't-1' };

  function controller(principal: Principal) {
    const filters: AuditFilter[] = [];
    const events = { page: async (_before: string | null, _limit: number, filter: AuditFilter) => (filters.push(filter), []) };
    const authenticator = { authenticate: async () => principal };
    const c = new AuditController(events as unknown as AuditEventsRepository, authenticator as unknown as ApiKeyAuthenticator, new CursorCodec(Buffer.alloc(32, 1)));
    return { c, filters };
  }

  it('reads only the tenant of a tenant key, whatever tenant_id says, and refuses another tenant', async () => {
    const { c, filters } = controller(tenantKey);
    await c.list({} as Request, {});
    await c.list({} as Request, { tenant_id: 't-1', action: 'proxy.write' });
    expect(filters).toEqual([{ tenantId: 't-1', action: undefined }, { tenantId: 't-1', action: 'proxy.write' }]);
    await expect(c.list({} as Request, { tenant_id: 't-2' })).rejects.toMatchObject({ code: 'FORBIDDEN_SCOPE', status: 403 });
  });

  it('lets the root key and untenanted admin keys read every tenant, or filter one', async () => {
    const { c, filters } = controller(ROOT_PRINCIPAL);
    await c.list({} as Request, {});
    await c.list({} as Request, { tenant_id: 't-2' });
    expect(filters).toEqual([{ tenantId: undefined, action: undefined }, { tenantId: 't-2', action: undefined }]);
  });
});

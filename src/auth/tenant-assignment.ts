import { HubError } from '../common/errors';
import type { Viewer } from './principal';

/**
 * The tenant a new tenant-owned resource (an integrated account, a webhook endpoint) goes to. A key
 * without tenant puts it where it asks (left out: no tenant); a tenant key into its own tenant only:
 * naming another is refused (403, not silently replaced, so a script that means another tenant
 * learns it at once). `doing` says what the key does there, e.g. "connects accounts".
 */
export function tenantForNew(requested: string | undefined, viewer: Viewer, doing: string): string | null {
  if (viewer.tenantId === null) return requested ?? null;
  if (requested !== undefined && requested !== viewer.tenantId) {
    throw new HubError(
      'FORBIDDEN_TENANT',
      `This API key belongs to tenant "${viewer.tenantId}": it ${doing} to that tenant only; leave out tenant_id or send "${viewer.tenantId}"`,
      { details: { tenant_id: viewer.tenantId } },
    );
  }
  return viewer.tenantId;
}

import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiNotFoundResponse } from '@nestjs/swagger';

export const TENANT_404_RULE =
  'Tenant rule: an API key with a tenant_id sees only the integrated accounts of its tenant and what hangs from them. ' +
  'An account of another tenant answers 404 with the same status, code and message as an id that does not exist ' +
  '(never 403), and lists leave other tenants out.';

/**
 * Documents (OpenAPI `x-hub-tenant-scoped`, and the 404 answer unless `notFound` is false, for lists
 * that never answer 404) that routes read integrated accounts through the caller's tenant. The
 * enforcement is the Viewer every account lookup takes (AccountsService.get and the lists), not this
 * decorator.
 */
export const TenantScoped = (options: { notFound?: boolean } = {}): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ApiExtension('x-hub-tenant-scoped', true),
    ...(options.notFound === false
      ? []
      : [
          ApiNotFoundResponse({
            description: `ACCOUNT_NOT_FOUND (or USER_NOT_FOUND, PERSON_NOT_FOUND, RUN_NOT_FOUND): nothing with that id that this key may see. ${TENANT_404_RULE}`,
          }),
        ]),
  );

import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import type { KeyScope } from './principal';

export const REQUIRED_SCOPE = 'hub:required-scope';

const FORBIDDEN = 'The API key\'s scope does not allow this (FORBIDDEN_SCOPE)';

/**
 * The scope a route needs, enforced by the guard and shown in the OpenAPI document
 * (`x-hub-scope`). Routes without it need `read` for GET and HEAD and `admin` for anything else.
 */
export const RequiresScope = (scope: KeyScope): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiExtension('x-hub-scope', scope),
    ...(scope === 'admin' ? [ApiForbiddenResponse({ description: `${FORBIDDEN}: needs an admin key` })] : []),
  );

/** Documents the default rule on a route that takes any method (the proxy): read for GET and HEAD, admin otherwise. */
export const ScopeByMethod = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiExtension('x-hub-scope', 'read for GET and HEAD; admin for any other method'),
    ApiForbiddenResponse({ description: `${FORBIDDEN}: a read key sent a method other than GET or HEAD` }),
  );

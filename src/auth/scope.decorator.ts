import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import type { KeyScope } from './principal';

export const REQUIRED_SCOPE = 'hub:required-scope';
export const UNTENANTED_ONLY = 'hub:untenanted-only';

const FORBIDDEN = 'The API key\'s scope does not allow this (FORBIDDEN_SCOPE)';

/**
 * The scope a route needs, enforced by the guard and shown in the OpenAPI document
 * (`x-hub-scope`). Routes without it need `read` for GET and HEAD and `admin` for anything else.
 * `untenanted`: only keys without a tenant may call it (`x-hub-untenanted-only`); a tenant key
 * gets 403 FORBIDDEN_TENANT.
 */
export const RequiresScope = (scope: KeyScope, options: { untenanted?: boolean } = {}): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiExtension('x-hub-scope', scope),
    ...(options.untenanted ? [SetMetadata(UNTENANTED_ONLY, true), ApiExtension('x-hub-untenanted-only', true)] : []),
    ...(scope === 'admin'
      ? [
          ApiForbiddenResponse({
            description: options.untenanted
              ? `${FORBIDDEN}: needs an admin key; or FORBIDDEN_TENANT: the key belongs to a tenant, and only keys without one may call this`
              : `${FORBIDDEN}: needs an admin key`,
          }),
        ]
      : []),
  );

/**
 * Only keys without a tenant may call these routes (a tenant key gets 403 FORBIDDEN_TENANT); the
 * scope stays the default (read for GET and HEAD, admin otherwise). For hub-wide resources that
 * are not yet split by tenant.
 */
export const UntenantedOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(UNTENANTED_ONLY, true), ApiExtension('x-hub-untenanted-only', true));

/** Documents the default rule on a route that takes any method (the proxy): read for GET and HEAD, admin otherwise. */
export const ScopeByMethod = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiExtension('x-hub-scope', 'read for GET and HEAD; admin for any other method'),
    ApiForbiddenResponse({ description: `${FORBIDDEN}: a read key sent a method other than GET or HEAD` }),
  );

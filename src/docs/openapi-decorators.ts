import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { CONNECT_TOKEN_EXTENSION, PUBLIC_EXTENSION, UPSTREAM_EXTENSION } from './openapi-errors';

/** Marks a route public in the OpenAPI document (no security, no 401); @Public() applies it. */
export const DocumentedPublic = (): MethodDecorator & ClassDecorator => ApiExtension(PUBLIC_EXTENSION, true);

/** The route calls the connector's API: its document lists the upstream failures (502, 504). */
export const ReachesUpstream = (): MethodDecorator & ClassDecorator => applyDecorators(ApiExtension(UPSTREAM_EXTENSION, true));

/** The route reads an account's snapshot, which its first sync has yet to write (HUB_FIRST_SYNC_WAIT). */
export const WaitsForFirstSync = (): MethodDecorator =>
  ApiServiceUnavailableResponse({
    description:
      'SYNC_PENDING: the account\'s first sync is still running after HUB_FIRST_SYNC_WAIT (retry after Retry-After); SYNC_FAILED: it has no synced data, its syncs failed',
  });

/** Only a connect-session token may call the route: its document names that scheme and its 401/403/404/410. */
export const DocumentedConnectTokenOnly = (): MethodDecorator & ClassDecorator => ApiExtension(CONNECT_TOKEN_EXTENSION, true);

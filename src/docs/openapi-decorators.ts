import { applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { CONNECT_TOKEN_EXTENSION, PUBLIC_EXTENSION, UPSTREAM_EXTENSION } from './openapi-errors';

/** Marks a route public in the OpenAPI document (no security, no 401); @Public() applies it. */
export const DocumentedPublic = (): MethodDecorator & ClassDecorator => ApiExtension(PUBLIC_EXTENSION, true);

/** The route calls the connector's API: its document lists the upstream failures (502). */
export const ReachesUpstream = (): MethodDecorator & ClassDecorator => applyDecorators(ApiExtension(UPSTREAM_EXTENSION, true));

/** Only a connect-session token may call the route: its document names that scheme and its 401/403/404/410. */
export const DocumentedConnectTokenOnly = (): MethodDecorator & ClassDecorator => ApiExtension(CONNECT_TOKEN_EXTENSION, true);

import { applyDecorators, SetMetadata } from '@nestjs/common';
import { DocumentedPublic } from '../docs/openapi-decorators';

export const IS_PUBLIC = 'hub:public';
/** A route anyone may call without the hub API key (/health, signing in); the OpenAPI document says so. */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(IS_PUBLIC, true), DocumentedPublic());

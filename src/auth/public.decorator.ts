import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'hub:public';
/** A route anyone may call without the hub API key (only /health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

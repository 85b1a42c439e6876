import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { WorkerRoleGuard } from './worker-role.guard';

/** Every route needs the hub API key unless it is marked @Public(); a worker replica serves only the public ones. */
@Module({
  providers: [
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: WorkerRoleGuard },
  ],
})
export class AuthModule {}

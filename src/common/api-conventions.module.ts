import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { HubExceptionFilter } from './http-exception.filter';
import { RememberingValidationPipe } from './remembering-validation.pipe';

/** What every route shares: one error body, and validated (whitelisted) input. */
@Module({
  providers: [
    { provide: APP_FILTER, useClass: HubExceptionFilter },
    { provide: APP_PIPE, useValue: new RememberingValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }) },
  ],
})
export class ApiConventionsModule {}

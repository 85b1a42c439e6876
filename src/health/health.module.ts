import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { StoreModule } from '../store/store.module';
import { HealthController } from './health.controller';
import { ReadinessController } from './readiness.controller';

/** Liveness (`GET /health`) and readiness (`GET /health/ready`, via @nestjs/terminus). */
@Module({ imports: [TerminusModule.forRoot({ logger: false }), StoreModule], controllers: [HealthController, ReadinessController] })
export class HealthModule {}

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { configureHttp } from '../../src/bootstrap';

/** The hub as production runs it (its own process, quiet logs), for the benchmarks. */
async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule.create(), { bodyParser: false, logger: ['error'] });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`READY ${address.port}\n`);
}

void main();

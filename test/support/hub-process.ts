import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { configureHttp } from '../../src/bootstrap';

/**
 * The hub as a separate process, for tests that must kill it (SIGKILL mid-sync). Prints
 * `READY <port>` once it listens. Settings come from the environment, as in production.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule.create(), { bodyParser: false, logger: ['error', 'warn'] });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`READY ${address.port}\n`);
}

void main();

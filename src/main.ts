import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureHttp } from './bootstrap';
import type { HubConfig } from './config/hub-config';
import { HUB_CONFIG } from './config/config.token';

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule.create(), { bodyParser: false });
  configureHttp(app);
  app.enableShutdownHooks();
  const config = app.get<HubConfig>(HUB_CONFIG);
  const levels = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  app.useLogger(levels.slice(0, levels.indexOf(config.logLevel) + 1));
  await app.listen(config.port);
  const { port } = app.getHttpServer().address() as { port: number };
  new Logger('Hub').log(`listening on http://localhost:${port} (data in ${config.dataDir}, ${config.database.kind})`);
}

main().catch((error: Error) => {
  // Configuration and manifest errors are meant for a person: print the message, not a stack.
  console.error(error.name === 'ConfigError' || /manifest/.test(error.message) ? error.message : error.stack);
  process.exit(1);
});

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureHttp } from './bootstrap';
import { describeBootError } from './config/boot-errors';
import type { HubConfig } from './config/hub-config';
import { HUB_CONFIG } from './config/config.token';

/** What main() was doing when it failed: starting the app (config, database) or listening. */
let phase: 'start' | 'listen' = 'start';

async function main(): Promise<void> {
  // Logs are held until the hub listens: a boot failure is then reported once, below, as one line,
  // not also as Nest's stack trace (abortOnError: false hands the error to main instead of exiting).
  const app = await NestFactory.create(AppModule.create(), { bodyParser: false, abortOnError: false, bufferLogs: true, autoFlushLogs: false });
  configureHttp(app);
  app.enableShutdownHooks();
  const config = app.get<HubConfig>(HUB_CONFIG);
  const levels = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  app.useLogger(levels.slice(0, levels.indexOf(config.logLevel) + 1));
  await app.init();
  phase = 'listen';
  await (config.host === undefined ? app.listen(config.port) : app.listen(config.port, config.host));
  app.flushLogs();
  const { port } = app.getHttpServer().address() as { port: number };
  const host = config.host === undefined || /^(0\.0\.0\.0|::)$/.test(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  new Logger('Hub').log(`listening on http://${host}:${port} (data in ${config.dataDir}, ${config.database.kind})`);
}

main().catch((error: Error) => {
  // Configuration, manifest and environment errors are meant for a person: one line, no stack.
  const known = error.name === 'ConfigError' || /manifest/.test(error.message) ? error.message : describeBootError(error, phase);
  console.error(known ?? error.stack);
  process.exit(1);
});

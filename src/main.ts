import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureHttp } from './bootstrap';
import { HubLogger } from './common/hub-logger';
import { describeBootError } from './config/boot-errors';
import type { HubConfig } from './config/hub-config';
import { HUB_CONFIG } from './config/config.token';
import { installGracefulShutdown } from './shutdown';

/** What main() was doing when it failed: starting the app (config, database) or listening. */
let phase: 'start' | 'listen' = 'start';

async function main(): Promise<void> {
  // Logs are held until the hub listens: a boot failure is then reported once, below, as one line,
  // not also as Nest's stack trace (abortOnError: false hands the error to main instead of exiting).
  const app = await NestFactory.create(AppModule.create(), { bodyParser: false, abortOnError: false, bufferLogs: true, autoFlushLogs: false });
  configureHttp(app);
  const config = app.get<HubConfig>(HUB_CONFIG);
  app.useLogger(new HubLogger(config.logFormat, config.logLevel));
  await app.init();
  installGracefulShutdown(app, config, new Logger('Shutdown'));
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
  // The configuration may be what failed, so the format is read from the environment as given.
  if (process.env.HUB_LOG_FORMAT === 'json') console.error(JSON.stringify({ level: 'fatal', pid: process.pid, timestamp: Date.now(), message: known ?? error.stack, context: 'Boot' }));
  else console.error(known ?? error.stack);
  process.exit(1);
});

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppModule } from '../src/app.module';
import { buildOpenApiDocument } from '../src/bootstrap';
import { stableJson } from '../src/docs/stable-json';

/** Where `npm run openapi` writes the document: the repository root, committed. */
export const OPENAPI_FILE = resolve(__dirname, '..', 'openapi.json');

/**
 * The hub's OpenAPI document as openapi.json holds it. The app is built but never initialised nor
 * listening (no sync, no schedule, no port), on a throwaway data dir with fixed keys, so the
 * document depends on the code alone, not on this machine's environment.
 */
export async function renderOpenApi(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-openapi-'));
  const env = { HUB_DATA_DIR: dataDir, HUB_API_KEY: 'openapi-render-key-0000000000000000', HUB_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
  const app = await NestFactory.create(AppModule.create({ env }), { logger: ['error'], bodyParser: false, abortOnError: false });
  try {
    return stableJson(buildOpenApiDocument(app));
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  renderOpenApi()
    .then((text) => {
      writeFileSync(OPENAPI_FILE, text);
      console.log(`wrote ${OPENAPI_FILE}`);
    })
    .catch((error: Error) => {
      console.error(error.stack ?? error.message);
      process.exit(1);
    });
}

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { STATUS_CODES } from 'node:http';
import { requireApiKey } from './auth/require-api-key.middleware';
import type { HubConfig } from './config/hub-config';
import { HUB_CONFIG } from './config/config.token';

/**
 * HTTP wiring shared by main.ts and the tests: JSON bodies everywhere but under /proxy (whose body
 * must reach the upstream untouched), OpenAPI at /docs behind the API key.
 */
export function configureHttp(app: INestApplication): void {
  const config = app.get<HubConfig>(HUB_CONFIG);
  // ETags would hash every unified page (and pages are cursor-addressed, so rarely revalidated).
  (app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void }).set('etag', false);
  const parseJson = json({ limit: '1mb' });
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Only requests that carry a body need the parser; the proxy's body goes upstream untouched.
    if (req.method === 'GET' || req.method === 'HEAD' || req.path.startsWith('/proxy/')) return next();
    parseJson(req, res, (error?: unknown) => (error ? sendBodyError(res, error) : next()));
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Integration hub')
      .setDescription('Unified User Directory over SaaS license APIs (JetBrains first), with a 1-to-1 proxy.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'HUB_API_KEY' })
      .build(),
  );
  app.use(['/docs', '/docs-json'], requireApiKey(app));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** Body-parser failures happen before any route, so they are answered here in the hub's error shape. */
function sendBodyError(res: Response, error: unknown): void {
  const type = (error as { type?: string }).type;
  const [status, message] =
    type === 'entity.too.large'
      ? [413, 'The request body is larger than 1 MB.']
      : type === 'entity.parse.failed'
        ? [400, 'The request body is not valid JSON.']
        : [400, 'The request body could not be read.'];
  res.status(status).json({ statusCode: status, error: STATUS_CODES[status], message, details: { code: 'VALIDATION_FAILED' } });
}

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { bearerMatches } from './auth/api-key';
import type { HubConfig } from './config/hub-config';
import { HUB_CONFIG } from './hub/tokens';

/**
 * HTTP wiring shared by main.ts and the tests: JSON bodies everywhere but under /proxy (whose body
 * must reach the upstream untouched), OpenAPI at /docs behind the API key.
 */
export function configureHttp(app: INestApplication): void {
  const config = app.get<HubConfig>(HUB_CONFIG);
  const parseJson = json({ limit: '1mb' });
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/proxy/') ? next() : parseJson(req, res, next)));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Integration hub')
      .setDescription('Unified User Directory over SaaS license APIs (JetBrains first), with a 1-to-1 proxy.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'HUB_API_KEY' })
      .build(),
  );
  app.use(['/docs', '/docs-json'], (req: Request, res: Response, next: NextFunction) => {
    if (bearerMatches(req.headers.authorization, config.apiKey)) return next();
    res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'Missing or wrong API key: send Authorization: Bearer <HUB_API_KEY>' });
  });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

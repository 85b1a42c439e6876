import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import { apiKeyMiddleware } from './auth/api-key.middleware';
import { findPublicRoutes, PublicRoute } from './auth/public-routes';
import { TENANT_404_RULE } from './auth/tenant-scoped.decorator';
import { answerClientErrors } from './common/client-errors';
import { jsonBodyMiddleware } from './common/json-body.middleware';
import { noStoreMiddleware } from './common/no-store.middleware';
import type { HubConfig } from './config/hub-config';
import { HUB_CONFIG } from './config/config.token';
import { describeErrors, SECURITY_SCHEMES } from './docs/openapi-errors';
import { describeCommonFields } from './docs/openapi-fields';
import { webPageRoutes } from './web-page/web-page-files';
import { WEB_PAGE_ROOT } from './web-page/web-page.module';

/**
 * HTTP wiring shared by main.ts and the tests, in the order a request meets it: no-store, the API key (before
 * routing and before any body byte is read), then JSON bodies (not under /proxy), then the routes;
 * OpenAPI at /docs, /docs-json and /docs-yaml, behind the key like everything but @Public() routes
 * and the web page's files (src/web-page).
 */
export function configureHttp(app: INestApplication): void {
  const express = app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void; disable(name: string): void };
  // ETags would hash every unified page (and pages are cursor-addressed, so rarely revalidated).
  express.set('etag', false);
  // No need to tell every client (and scanner) which framework answers.
  express.disable('x-powered-by');
  // Which proxies may say the client's address and scheme (X-Forwarded-For / -Proto): none unless
  // HUB_TRUST_PROXY says. req.secure (the session cookie's Secure flag) and req.ip follow it.
  express.set('trust proxy', app.get<HubConfig>(HUB_CONFIG).trustProxy);
  // What Node refuses before Express (431, 400) gets the hub's JSON error body too.
  answerClientErrors(app.getHttpServer());

  // Read once, on the first request: controllers are all known by then. The web page's built files
  // (index.html, hashed assets) are public too; the page then signs in for the API calls.
  let publicRoutes: PublicRoute[] | undefined;
  const webRoot = app.get<string | null>(WEB_PAGE_ROOT, { strict: false });
  app.use(noStoreMiddleware());
  app.use(apiKeyMiddleware(app.get(ApiKeyAuthenticator), () => (publicRoutes ??= [...findPublicRoutes(app), ...webPageRoutes(webRoot)])));
  app.use(jsonBodyMiddleware());

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    // Signed in through the browser session, Try-it-out's writes need the session's CSRF token: the
    // page asks GET /session for it (same origin, the cookie goes along). Runs in the browser.
    swaggerOptions: { requestInterceptor: addCsrfToken },
  });
}

/** Serialised into Swagger UI's page (plain JavaScript, no closure): adds X-CSRF-Token to writes. */
function addCsrfToken(request: { method: string; headers: Record<string, string> }) {
  if (/^(GET|HEAD|OPTIONS)$/i.test(request.method) || request.headers.Authorization) return request;
  return fetch('/session', { credentials: 'same-origin' })
    .then((res) => (res.ok ? (res.json() as Promise<{ csrf_token?: string }>) : null))
    .then((session) => {
      if (session && session.csrf_token) request.headers['X-CSRF-Token'] = session.csrf_token;
      return request;
    })
    .catch(() => request);
}

/**
 * The hub's OpenAPI document, built from the controllers without listening (`npm run openapi`
 * writes it to openapi.json; /docs-json serves the same document).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Integration hub')
    .setDescription(`Unified User Directory over SaaS license APIs (JetBrains first), with a 1-to-1 proxy.\n\n${TENANT_404_RULE}`)
    .setVersion('0.1.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'hub_… (opaque API key)',
        description: 'HUB_API_KEY, or a key from POST /api-keys (scope admin or read): Authorization: Bearer <key>. An opaque key, not a JWT',
      },
      SECURITY_SCHEMES.api_key,
    )
    .addCookieAuth(
      'hub_session',
      {
        type: 'apiKey',
        in: 'cookie',
        description:
          'The browser session from POST /session (HttpOnly, SameSite=Strict), with the scope and tenant of the key that signed in. ' +
          'Writes through it (any method but GET, HEAD, OPTIONS) must send X-CSRF-Token: <csrf_token of GET /session>. A bearer header, when present, wins',
      },
      SECURITY_SCHEMES.session,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'hubcs_… (opaque connect-session token)',
        description: 'The token of a connect link (POST /connect-sessions): only the /connect-sessions/current routes accept it',
      },
      SECURITY_SCHEMES.connect,
    )
    .build();
  return describeCommonFields(describeErrors(SwaggerModule.createDocument(app, config)));
}

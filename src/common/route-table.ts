import type { Request } from 'express';

/** What a request that no route answered should be told: 404, or 405 with the methods the path has. */
export type Unrouted = { status: 404 } | { status: 405; allow: string[] } | { status: 400; reason: 'bad-encoding' };

interface Layer {
  route?: { methods: Record<string, boolean> };
  slash?: boolean;
  match(path: string): unknown;
}

/**
 * Looks the request's path up in the Express router's own table (same matching rules: any case,
 * optional trailing slash) to tell "no such path" from "no such method on this path". Returns null
 * when the path belongs to a mounted middleware (the docs' static files), which answers for itself.
 */
export function findUnrouted(req: Request): Unrouted | null {
  const stack = (req.app as unknown as { router?: { stack?: Layer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  try {
    for (const layer of stack) {
      if (!layer.route) {
        // Middleware mounted on a path prefix serves that prefix (app-wide ones have slash = true).
        if (!layer.slash && layer.match(req.path)) return null;
        continue;
      }
      if (!layer.match(req.path)) continue;
      for (const [method, on] of Object.entries(layer.route.methods)) if (on) methods.add(method.toUpperCase());
    }
  } catch (error) {
    // Decoding a path parameter: `%ff` is not UTF-8.
    if (error instanceof URIError) return { status: 400, reason: 'bad-encoding' };
    throw error;
  }
  if (methods.has('_ALL') || methods.has(req.method)) return null;
  if (methods.size === 0) return { status: 404 };
  if (methods.has('GET')) methods.add('HEAD');
  return { status: 405, allow: [...methods].sort() };
}

export const BAD_ENCODING_MESSAGE =
  'The path is not valid percent-encoding (such as %ff): encode each character as UTF-8, e.g. with encodeURIComponent.';

export function notFoundMessage(req: Request): string {
  return `No route ${req.method} ${req.path}. The API is listed at GET /docs (OpenAPI at /docs-json).`;
}

export function methodNotAllowedMessage(req: Request, allow: string[]): string {
  return `${req.path} does not accept ${req.method}; it accepts ${allow.join(', ')}.`;
}

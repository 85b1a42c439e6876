import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { sendError } from './error-response';
import { assertJsonDepth, JsonTooDeepError, MAX_JSON_DEPTH } from './json-depth';
import { BAD_ENCODING_MESSAGE, findUnrouted, methodNotAllowedMessage, notFoundMessage } from './route-table';

const BODY_LIMIT = '1mb';

/**
 * JSON bodies for every route but /proxy (whose body must reach the upstream untouched). Runs
 * after the API key check. Before a byte is read it answers an unknown route (404) or method (405),
 * and a body that is not JSON (415); while reading it refuses bodies nested too deep for validation.
 */
export function jsonBodyMiddleware() {
  const parse = json({ limit: BODY_LIMIT, verify: (_req, _res, bytes) => assertJsonDepth(bytes) });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || /^\/proxy\//i.test(req.path)) return next();
    const unrouted = findUnrouted(req);
    if (unrouted?.status === 404) return sendError(res, 404, 'NOT_FOUND', notFoundMessage(req));
    if (unrouted?.status === 405) {
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', methodNotAllowedMessage(req, unrouted.allow), {
        headers: { Allow: unrouted.allow.join(', ') },
      });
    }
    if (unrouted?.status === 400) return sendError(res, 400, 'BAD_REQUEST', BAD_ENCODING_MESSAGE);
    if (hasBody(req) && !req.is('application/json')) {
      const given = req.headers['content-type'];
      return sendError(
        res,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `The request body must be JSON: send Content-Type: application/json${given ? ` (got "${given}")` : ' (none was sent)'}.`,
      );
    }
    parse(req, res, (error?: unknown) => (error ? sendBodyError(res, error) : next()));
  };
}

/** Body-parser failures happen before any route, so they are answered here in the hub's error shape. */
function sendBodyError(res: Response, error: unknown): void {
  const type = (error as { type?: string }).type;
  if (error instanceof JsonTooDeepError || type === 'entity.too.deep') {
    return sendError(res, 400, 'VALIDATION_FAILED', `The request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep; flatten it.`);
  }
  if (type === 'entity.too.large') return sendError(res, 413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 1 MB.');
  if (type === 'entity.parse.failed') return sendError(res, 400, 'VALIDATION_FAILED', notParsedMessage((error as { body?: unknown }).body));
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON in UTF-8, not compressed: send Content-Type: application/json.');
  }
  sendError(res, 400, 'BAD_REQUEST', 'The request body could not be read.');
}

/**
 * body-parser refuses a top-level `null`, number or string as it refuses broken JSON: tell them
 * apart, since "not valid JSON" for a valid `null` sends the client looking for the wrong mistake.
 */
function notParsedMessage(body: unknown): string {
  if (typeof body === 'string') {
    try {
      const value: unknown = JSON.parse(body);
      return `The request body must be a JSON object ({ … }), not ${value === null ? 'null' : `a ${typeof value}`}.`;
    } catch {
      // Not JSON at all: the message below.
    }
  }
  return 'The request body is not valid JSON.';
}

/** A request carries a body when it is chunked or says it has bytes (the rule body-parser follows). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';

/** The hub's one error body, whoever answers: the global filter, middleware, or the HTTP server itself. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: { code: string } & Record<string, unknown>;
}

/** The error body of `status`, with `code` and any further details. */
export function errorBody(status: number, code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, details: { code, ...details } };
}

/**
 * The hub's error body written straight to the response, for the middleware that answers before
 * any route runs (authentication, body reading, unknown routes). Same shape as the global filter's:
 * `{ statusCode, error, message, details: { code, … } }`.
 */
export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  extra: { details?: Record<string, unknown>; headers?: Record<string, string> } = {},
): void {
  for (const [name, value] of Object.entries(extra.headers ?? {})) res.setHeader(name, value);
  res.status(status).json(errorBody(status, code, message, extra.details));
}

/** A code for a status when nothing more precise is known: 404 -> NOT_FOUND, 500 -> INTERNAL. */
export function codeForStatus(status: number): string {
  if (status >= 500) return 'INTERNAL';
  if (status === 400) return 'BAD_REQUEST';
  return (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

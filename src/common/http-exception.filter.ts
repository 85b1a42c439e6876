import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { codeForStatus } from './error-response';
import { HubError } from './errors';
import { BAD_ENCODING_MESSAGE, findUnrouted, methodNotAllowedMessage, notFoundMessage } from './route-table';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: { code: string } & Record<string, unknown>;
}

/** Turns every thrown error into the one error body `{ statusCode, error, message, details: { code, … } }`. */
@Catch()
export class HubExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HubExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const { body, retryAfterSeconds, allow } = this.toBody(exception, request);
    if (response.headersSent) {
      // A streamed proxy response failed half-way: the status is gone, all we can do is cut it.
      response.destroy();
      return;
    }
    if (retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(retryAfterSeconds));
    if (allow) response.setHeader('Allow', allow.join(', '));
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request): { body: ErrorBody; retryAfterSeconds?: number; allow?: string[] } {
    if (isRouteNotFound(exception, request)) return unrouted(request);
    if (exception instanceof HubError) return { body: hubErrorBody(exception), retryAfterSeconds: exception.retryAfterSeconds };
    if (exception instanceof HttpException && exception.getStatus() !== HttpStatus.INTERNAL_SERVER_ERROR) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      let message = exception.message;
      let details: ErrorBody['details'] = { code: codeForStatus(status) };
      if (typeof payload === 'object' && payload !== null) {
        const raw = (payload as { message?: unknown }).message;
        if (Array.isArray(raw)) {
          const errors = [...new Set(raw.map(String))];
          message = errors.join('; ');
          details = { code: 'VALIDATION_FAILED', errors };
        } else if (typeof raw === 'string') {
          message = raw;
        }
      }
      // Express throws a 400 URIError for `%ff` in a path parameter; Nest passes its text on.
      if (status === 400 && /^Failed to decode param/.test(message)) message = BAD_ENCODING_MESSAGE;
      return { body: { statusCode: status, error: reason(status), message, details } };
    }
    // Anything else is a bug or an outage: the log gets the stack, the client only a code.
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    const code = HttpStatus.INTERNAL_SERVER_ERROR;
    return {
      body: { statusCode: code, error: reason(code), message: 'Internal error; the hub log has the details.', details: { code: 'INTERNAL' } },
    };
  }
}

/** Nest's catch-all for unmatched requests throws exactly `Cannot <METHOD> <url>`. */
function isRouteNotFound(exception: unknown, request: Request): boolean {
  return exception instanceof NotFoundException && exception.message === `Cannot ${request.method} ${request.originalUrl}`;
}

/** 404 with a pointer to the docs, or 405 with the methods the path does accept. */
function unrouted(request: Request): { body: ErrorBody; allow?: string[] } {
  const found = findUnrouted(request);
  if (found?.status === 405) {
    const body = { statusCode: 405, error: reason(405), message: methodNotAllowedMessage(request, found.allow), details: { code: 'METHOD_NOT_ALLOWED' } };
    return { body, allow: found.allow };
  }
  if (found?.status === 400) return { body: { statusCode: 400, error: reason(400), message: BAD_ENCODING_MESSAGE, details: { code: 'BAD_REQUEST' } } };
  return { body: { statusCode: 404, error: reason(404), message: notFoundMessage(request), details: { code: 'NOT_FOUND' } } };
}

/** The error body of a HubError, for the filter and for middleware that answers before any route. */
export function hubErrorBody(error: HubError): ErrorBody {
  const details = { code: error.code, ...(error.details ?? {}) };
  return { statusCode: error.status, error: reason(error.status), message: error.message, details };
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

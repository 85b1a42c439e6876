import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { codeForStatus, ErrorBody, errorBody } from './error-response';
import { HubError } from './errors';
import { BAD_ENCODING_MESSAGE, findUnrouted, methodNotAllowedMessage, notFoundMessage } from './route-table';

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
      let code = codeForStatus(status);
      let errors: string[] | undefined;
      if (typeof payload === 'object' && payload !== null) {
        const raw = (payload as { message?: unknown }).message;
        if (Array.isArray(raw)) {
          errors = [...new Set(raw.map(String))];
          message = errors.join('; ');
          code = 'VALIDATION_FAILED';
        } else if (typeof raw === 'string') {
          message = raw;
        }
      }
      // Express throws a 400 URIError for `%ff` in a path parameter; Nest passes its text on.
      if (status === 400 && /^Failed to decode param/.test(message)) message = BAD_ENCODING_MESSAGE;
      return { body: errorBody(status, code, message, errors ? { errors } : {}) };
    }
    // Anything else is a bug or an outage: the log gets the stack, the client only a code.
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    return { body: errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL', 'Internal error; the hub log has the details.') };
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
    return { body: errorBody(405, 'METHOD_NOT_ALLOWED', methodNotAllowedMessage(request, found.allow)), allow: found.allow };
  }
  if (found?.status === 400) return { body: errorBody(400, 'BAD_REQUEST', BAD_ENCODING_MESSAGE) };
  return { body: errorBody(404, 'NOT_FOUND', notFoundMessage(request)) };
}

/** The error body of a HubError, for the filter and for middleware that answers before any route. */
export function hubErrorBody(error: HubError): ErrorBody {
  return errorBody(error.status, error.code, error.message, error.details);
}

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import { HubError } from './errors';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Turns every thrown error into the one error body `{ statusCode, error, message, details? }`. */
@Catch()
export class HubExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HubExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { body, retryAfterSeconds } = this.toBody(exception);
    if (response.headersSent) {
      // A streamed proxy response failed half-way: the status is gone, all we can do is cut it.
      response.destroy();
      return;
    }
    if (retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(retryAfterSeconds));
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): { body: ErrorBody; retryAfterSeconds?: number } {
    if (exception instanceof HubError) return { body: hubErrorBody(exception), retryAfterSeconds: exception.retryAfterSeconds };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      let message = exception.message;
      let details: Record<string, unknown> | undefined;
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
      return { body: { statusCode: status, error: reason(status), message, ...(details ? { details } : {}) } };
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    const code = HttpStatus.INTERNAL_SERVER_ERROR;
    return { body: { statusCode: code, error: reason(code), message: 'Internal error; the hub log has the details.' } };
  }
}

/** The error body of a HubError, for the filter and for middleware that answers before any route. */
export function hubErrorBody(error: HubError): ErrorBody {
  const details = { code: error.code, ...(error.details ?? {}) };
  return { statusCode: error.status, error: reason(error.status), message: error.message, details };
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, Observable } from 'rxjs';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { principalOf } from '../auth/caller.decorator';
import { codeForStatus } from '../common/error-response';
import { HubError } from '../common/errors';
import { AuditedRoute, AUDITED_ROUTES, AuditSubject, unlistedWrite } from './audited-routes';
import { Actor, ANONYMOUS, AuditLog, Outcome } from './audit-log';

/** Methods that write nothing: never audited. */
const NOT_WRITES = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global: every write that reaches a route (past the key and scope checks) gets one audit row,
 * success or failure, written before the answer leaves (a streamed proxy answer: once it is sent).
 * What a route's row says comes from AUDITED_ROUTES, found by the route's declared path.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly routes = new WeakMap<object, { key: string; entry: AuditedRoute }>();

  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly log: AuditLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // Reads pass straight through: no promise, no lookup on the hot path.
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    if (NOT_WRITES.has(req.method)) return next.handle();
    const { entry } = this.routeOf(context);
    if (entry.methods && !entry.methods.includes(req.method)) return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    const subject = (result: unknown): AuditSubject => ({
      method: req.method,
      path: req.path,
      params: req.params ?? {},
      query: (req.query ?? {}) as Record<string, unknown>,
      body: req.body,
      result,
    });
    // Who, before the handler runs: a key revoking itself is still found by name. A sign-in learns
    // who it is in the handler: its actor is read after (anonymous when it failed).
    const actorBefore = entry.actorAfterHandler ? Promise.resolve(null) : this.authenticator.authenticate(req).then((principal) => this.log.actorOf(principal));
    return from(actorBefore).pipe(
      mergeMap((before) => {
        const actorNow = async (): Promise<Actor> => {
          if (before) return before;
          const principal = principalOf(req);
          return principal ? this.log.actorOf(principal) : ANONYMOUS;
        };
        const write = async (outcome: Outcome, result: unknown) =>
          this.log.record({ entry, actor: await actorNow(), subject: subject(result), outcome, clientIp: auditedAddress(req.ip) });
        return next.handle().pipe(
          mergeMap(async (result) => {
            await write(this.outcomeOf(context, entry, req, res), result);
            return result;
          }),
          catchError((error: unknown) => from(write(failureOf(error), undefined).then(() => Promise.reject(error)))),
        );
      }),
    );
  }

  /** The route's key (`POST /integrated-accounts/:id/test`) and its entry, worked out once per handler. */
  routeOf(context: ExecutionContext): { key: string; entry: AuditedRoute } {
    const handler = context.getHandler();
    let found = this.routes.get(handler);
    if (!found) {
      const key = routeKey(context.getClass(), handler);
      found = { key, entry: AUDITED_ROUTES[key] ?? unlistedWrite(key) };
      this.routes.set(handler, found);
    }
    return found;
  }

  /** How a handler that returned went. */
  private outcomeOf(context: ExecutionContext, entry: AuditedRoute, req: Request, res: Response): Outcome {
    if (entry.passesOn) {
      // The upstream's status, passed on; its answer may have been cut (client gone, upstream cut the body).
      if (res.headersSent) return { status: res.statusCode, errorCode: res.writableFinished ? null : 'ANSWER_INCOMPLETE', upstream: true };
      // The client left before any answer (499, as proxies log it): whether the upstream acted is unknown.
      return { status: 499, errorCode: 'CLIENT_CLOSED', upstream: false };
    }
    // The handler's write is done; its status is applied by Nest right after this (a client gone meanwhile changes nothing).
    const declared = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined;
    return { status: declared ?? (req.method === 'POST' ? 201 : 200), errorCode: null, upstream: false };
  }
}

/** `METHOD /controller-path/handler-path` as declared (`ALL /proxy/*path`). */
export function routeKey(controller: object, handler: object): string {
  const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] ?? 'ALL';
  const parts = [Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler)]
    .map((p) => String(Array.isArray(p) ? p[0] : p ?? ''))
    .flatMap((p) => p.split('/'))
    .filter(Boolean);
  return `${method} /${parts.join('/')}`;
}

/** The status and code the exception filter will answer with (see common/http-exception.filter.ts). */
function failureOf(error: unknown): Outcome {
  if (error instanceof HubError) return { status: error.status, errorCode: error.code, upstream: false };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const payload = error.getResponse() as { message?: unknown } | string;
    const validation = typeof payload === 'object' && Array.isArray(payload.message);
    return { status, errorCode: validation ? 'VALIDATION_FAILED' : codeForStatus(status), upstream: false };
  }
  return { status: 500, errorCode: 'INTERNAL', upstream: false };
}

/** The client's address as people write it: an IPv4 client of a dual-stack socket is `::ffff:a.b.c.d` there. */
export function auditedAddress(ip: string | undefined): string | null {
  if (!ip) return null;
  return ip.replace(/^::ffff:(?=\d{1,3}(\.\d{1,3}){3}$)/i, '');
}

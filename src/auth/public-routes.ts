import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC } from './public.decorator';

/** One route marked @Public(): its methods and a matcher with Express's rules (any case, optional trailing slash). */
export interface PublicRoute {
  methods: Set<string>;
  pattern: RegExp;
}

/**
 * The @Public() routes, read from the controllers' metadata, so the API-key middleware (which runs
 * before routing, and so before the guard could see the decorator) lets exactly those through.
 */
export function findPublicRoutes(app: INestApplication): PublicRoute[] {
  const routes: PublicRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller?.prototype) continue;
      const classPublic = Reflect.getMetadata(IS_PUBLIC, controller) === true;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        if (!(Reflect.getMetadata(IS_PUBLIC, handler) ?? classPublic)) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const methods = new Set(method === 'ALL' ? ['*'] : method === 'GET' ? ['GET', 'HEAD'] : [method]);
        for (const base of paths(Reflect.getMetadata(PATH_METADATA, controller))) {
          for (const own of paths(Reflect.getMetadata(PATH_METADATA, handler))) {
            routes.push({ methods, pattern: toPattern(`${base}/${own}`) });
          }
        }
      }
    }
  }
  return routes;
}

export function isPublicRequest(routes: PublicRoute[], method: string, path: string): boolean {
  return routes.some((route) => (route.methods.has(method) || route.methods.has('*')) && route.pattern.test(path));
}

function paths(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [value === undefined ? '' : String(value)];
}

/** `health`, `items/:id`, `files/*path` -> an anchored, case-insensitive regular expression. */
function toPattern(path: string): RegExp {
  const segments = path.split('/').filter(Boolean).map((segment) =>
    segment.startsWith(':') ? '[^/]+' : segment.startsWith('*') ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  return new RegExp(`^/${segments.join('/')}/?$`, 'i');
}

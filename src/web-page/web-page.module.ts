import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { ExpressLoader, ServeStaticModuleOptions } from '@nestjs/serve-static';
import { setWebPageHeaders } from './web-page.headers';

/** The folder served (dist/web), or null when the page is not built; bootstrap.ts makes its files public. */
export const WEB_PAGE_ROOT = Symbol('WEB_PAGE_ROOT');

/**
 * Serves the built web page (dist/web) at `/` with @nestjs/serve-static's Express loader. The page
 * uses hash routes (`/#/people`), so the only HTML path is `/`: renderPath '/' instead of the
 * catch-all default, which would answer every unknown GET with index.html and hide the API's 404
 * and 405 answers. Mounted at module init, after the controllers' routes, so no file can shadow an
 * API route. Without a built page (dist/web missing) nothing is mounted.
 *
 * Not ServeStaticModule.forRoot(): it picks its loader when the module is compiled, and a Nest
 * testing module is compiled before it has an HTTP adapter, so the e2e tests' hubs would serve
 * nothing (its no-op loader). Here the loader runs at init, when the adapter is there in both.
 */
@Module({})
export class WebPageModule implements OnModuleInit {
  constructor(
    @Inject(WEB_PAGE_ROOT) private readonly root: string | null,
    private readonly adapterHost: HttpAdapterHost,
    private readonly appConfig: ApplicationConfig,
  ) {}

  static forRoot(root: string | null): DynamicModule {
    return { module: WebPageModule, providers: [{ provide: WEB_PAGE_ROOT, useValue: root }], exports: [WEB_PAGE_ROOT] };
  }

  onModuleInit(): void {
    if (this.root === null) return;
    const options: ServeStaticModuleOptions = {
      rootPath: this.root,
      renderPath: '/',
      serveStaticOptions: { index: 'index.html', dotfiles: 'ignore', redirect: false, fallthrough: true, setHeaders: setWebPageHeaders },
    };
    new ExpressLoader().register(this.adapterHost.httpAdapter, this.appConfig, [options]);
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { setWebPageHeaders } from './web-page.headers';

/** The folder served (dist/web), or null when the page is not built; bootstrap.ts makes its files public. */
export const WEB_PAGE_ROOT = Symbol('WEB_PAGE_ROOT');

/**
 * Serves the built web page (dist/web) at `/`. The page uses hash routes (`/#/people`), so the only
 * HTML path is `/`: renderPath '/' instead of serve-static's catch-all, which would answer every
 * unknown GET with index.html and hide the API's 404 and 405 answers. Registered after the
 * controllers (module init), so no file can shadow an API route. Without a built page (dist/web
 * missing, as in the e2e tests that do not build it) nothing is mounted.
 */
@Module({})
export class WebPageModule {
  static forRoot(root: string | null): DynamicModule {
    const provided = { providers: [{ provide: WEB_PAGE_ROOT, useValue: root }], exports: [WEB_PAGE_ROOT] };
    if (root === null) return { module: WebPageModule, ...provided };
    return {
      module: WebPageModule,
      ...provided,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: root,
          renderPath: '/',
          serveStaticOptions: { index: 'index.html', dotfiles: 'ignore', redirect: false, fallthrough: true, setHeaders: setWebPageHeaders },
        }),
      ],
    };
  }
}

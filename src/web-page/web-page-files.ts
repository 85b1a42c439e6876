import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Where `npm run build` writes the page (vite: web/vite.config.mts), next to package.json. */
export function locateWebPage(start = __dirname): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const root = join(dir, 'dist', 'web');
      return existsSync(join(root, 'index.html')) ? root : null;
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The page this replica serves: none on a HUB_ROLE=worker replica, which answers only /health (the
 * page's API calls would all be refused there, so a load balancer sending people to it should show
 * it at once), else the built page if there is one.
 */
export function servedWebPage(role: 'all' | 'api' | 'worker', locate: () => string | null = locateWebPage): string | null {
  return role === 'worker' ? null : locate();
}

/**
 * The URL paths of the page's built files (`/`, `/index.html`, `/assets/index-3f2a….js`), read once:
 * exactly these may be fetched without an API key. Anything else under `/` (a typo, a file that
 * does not exist) stays behind the key like every API path, so a client without one still learns
 * nothing about which paths exist.
 */
export function webPagePaths(root: string): Set<string> {
  const paths = new Set<string>(['/']);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) paths.add(`/${relative(root, full).split(sep).join('/')}`);
    }
  };
  walk(root);
  return paths;
}

/** The page's files as routes anyone may GET (exact paths, letter case included, as the files are served). */
export function webPageRoutes(root: string | null): { methods: Set<string>; pattern: RegExp }[] {
  if (root === null) return [];
  return [...webPagePaths(root)].map((path) => ({
    methods: new Set(['GET', 'HEAD']),
    pattern: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  }));
}

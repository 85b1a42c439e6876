import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { servedWebPage, webPagePaths, webPageRoutes } from '../src/web-page/web-page-files';
import { useFixture, TEST_API_KEY } from './support/fixture';
import { ensureWebBuilt } from './support/web-build';

/**
 * The page's files are served at / to anyone (the page signs in itself); everything else keeps
 * the API's rules: the key first, then 404 / 405 in the hub's error body, never index.html.
 */
describe('the web page is served at /', () => {
  const fx = useFixture();
  let asset: string;

  beforeAll(() => {
    const dist = ensureWebBuilt();
    asset = `/assets/${readdirSync(join(dist, 'assets')).find((f) => f.endsWith('.js'))}`;
  });

  it('holds under 200 KB of JavaScript gzipped in all, and nothing from another origin', () => {
    const dist = ensureWebBuilt();
    const files = readdirSync(join(dist, 'assets'));
    const js = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dist, 'assets', f)));
    const gzipped = js.reduce((sum, code) => sum + gzipSync(code, { level: 9 }).length, 0);
    expect(gzipped).toBeGreaterThan(0);
    expect(gzipped).toBeLessThan(200 * 1024);
    // No font, script or style from elsewhere (the page works offline); the only URLs are the API's own paths.
    for (const f of files.filter((f) => /\.(js|css)$/.test(f))) {
      expect([f, readFileSync(join(dist, 'assets', f), 'utf8').match(/(?:src|href|url)\(?\s*["']?https?:\/\/[^"')\s]+/g)]).toEqual([f, null]);
    }
    expect(files.some((f) => /\.(woff2?|ttf|otf)$/.test(f))).toBe(false);
  });

  it('serves index.html and its assets without a key, with a strict CSP', async () => {
    const hub = await fx.hub();
    const page = await hub.raw().get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<div id="app">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).not.toMatch(/https?:\/\//);
    await hub.raw().head('/').expect(200);
    await hub.raw().get('/index.html').expect(200);
    const js = await hub.raw().get(asset).expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
  });

  it('keeps every other path behind the key: no key -> 401 for a file that does not exist or another letter case', async () => {
    const hub = await fx.hub();
    for (const path of ['/assets/nope.js', asset.toUpperCase(), '/INDEX.HTML', '/package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/docs']) {
      const res = await hub.raw().get(path);
      expect([path, res.status]).toEqual([path, 401]);
    }
    // Writes to the page's paths need the key too.
    await hub.raw().post('/').expect(401);
  });

  it('with the key, unknown paths are still the hub\'s 404 and known paths\' other methods 405', async () => {
    const hub = await fx.hub();
    const missing = await hub.get('/assets/nope.js').expect(404);
    expect(missing.body.details.code).toBe('NOT_FOUND');
    const unknown = await hub.get('/unified/user-directory/nothing').expect(404);
    expect(unknown.body.details.code).toBe('NOT_FOUND');
    expect(unknown.headers['content-type']).toMatch(/json/);
    const wrongMethod = await hub.raw().put('/integrations').set('Authorization', `Bearer ${TEST_API_KEY}`).expect(405);
    expect(wrongMethod.body.details.code).toBe('METHOD_NOT_ALLOWED');
    const root = await hub.post('/', {}).expect(405);
    expect(root.headers.allow).toBe('GET, HEAD');
    // The API's own answers are unchanged under the page.
    await hub.get('/integrations').expect(200);
    await hub.raw().get('/integrations').expect(401);
  });
});

describe('servedWebPage', () => {
  it('a worker replica serves no page (it answers only /health); the others serve the built one', () => {
    const built = () => '/srv/hub/dist/web';
    expect(servedWebPage('worker', built)).toBeNull();
    expect(servedWebPage('api', built)).toBe('/srv/hub/dist/web');
    expect(servedWebPage('all', built)).toBe('/srv/hub/dist/web');
    expect(servedWebPage('all', () => null)).toBeNull();
  });
});

describe('webPagePaths', () => {
  it('lists every built file as a URL path, and / (dotfiles left out)', () => {
    const root = mkdtempSync(join(tmpdir(), 'web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '');
    writeFileSync(join(root, 'assets', 'index-1.js'), '');
    writeFileSync(join(root, '.env'), '');
    expect([...webPagePaths(root)].sort()).toEqual(['/', '/assets/index-1.js', '/index.html']);
  });

  it('matches exact paths only', () => {
    const root = mkdtempSync(join(tmpdir(), 'web-'));
    writeFileSync(join(root, 'index.html'), '');
    const [slash, index] = webPageRoutes(root);
    expect(slash!.pattern.test('/')).toBe(true);
    expect(slash!.pattern.test('/x')).toBe(false);
    expect(index!.pattern.test('/index.html')).toBe(true);
    expect(index!.pattern.test('/indexxhtml')).toBe(false);
    expect(index!.pattern.test('/INDEX.HTML')).toBe(false);
    expect(webPageRoutes(null)).toEqual([]);
  });
});

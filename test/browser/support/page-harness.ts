import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium';

export interface PageProblems {
  /** Console errors and uncaught exceptions (a CSP refusal shows up here). */
  errors: string[];
  /** Requests the page tried to send anywhere but the hub (all refused). */
  foreign: string[];
}

/**
 * One Chromium per spec file (the machine has 2 cores), a fresh context (cookies, storage) per
 * test. Every context refuses requests to anything but the hub and records them, so a page that
 * reaches for a CDN or a web font fails its test.
 */
export function useBrowser() {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  }, 90_000);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });

  return {
    async open(origin: string): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
      if (!browser) throw new Error('the browser did not start (see beforeAll)');
      const context = await browser.newContext({ baseURL: origin, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      const problems: PageProblems = { errors: [], foreign: [] };
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
        problems.foreign.push(url);
        return route.abort();
      });
      const page = await context.newPage();
      page.on('console', (m) => {
        // The page's own API calls that the tests expect to fail (a wrong key: 401) log as network errors; keep the rest.
        if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (4\d\d)/.test(m.text())) problems.errors.push(m.text());
      });
      page.on('pageerror', (e) => problems.errors.push(e.message));
      return { context, page, problems };
    },
  };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core run in the page (evaluated through the DevTools protocol, which the page's CSP does not
 * apply to). Returns the serious and critical violations, each with where it is.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

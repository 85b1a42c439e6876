import type { Page } from 'playwright-core';
import type { Fixture, TestHub } from '../../support/fixture';
import { ensureWebBuilt } from '../../support/web-build';

export interface BrowserHub {
  hub: TestHub;
  /** http://127.0.0.1:<port> */
  origin: string;
}

/**
 * The hub as main.ts builds it, listening on 127.0.0.1 for a browser, serving the built page
 * (built first when web/ changed), wired to the simulators in `env`.
 */
export async function hubForBrowser(fx: Fixture, env: Record<string, string>): Promise<BrowserHub> {
  ensureWebBuilt();
  const hub = await fx.hub(env);
  await hub.app.listen(0, '127.0.0.1');
  const { port } = hub.app.getHttpServer().address() as { port: number };
  return { hub, origin: `http://127.0.0.1:${port}` };
}

/** Signs in through the form, as a person would, and waits for the first page. */
export async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
}

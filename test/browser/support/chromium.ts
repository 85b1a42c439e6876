import { accessSync, constants } from 'node:fs';
import { chromium, Browser } from 'playwright-core';

/** Debian's Chromium, or CHROMIUM_PATH. Playwright's own browser download cannot work here (no internet). */
export function chromiumPath(): string {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    throw new Error(
      `The browser tests need Chromium and found none at ${candidate}${process.env.CHROMIUM_PATH ? ' (CHROMIUM_PATH)' : ''}. ` +
        'Install it with `apt-get install -y chromium` (Debian), or set CHROMIUM_PATH to a Chromium or Chrome executable.',
    );
  }
}

/** Headless, with nothing of its own going to the network (no component updates, no first-run pings). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

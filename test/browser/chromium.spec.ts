import { chromiumPath } from './support/chromium';

describe('chromiumPath', () => {
  const saved = process.env.CHROMIUM_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved;
  });

  it('without a browser, says exactly what to install (so the browser tests fail, never pass silently)', () => {
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    expect(() => chromiumPath()).toThrow('found none at /nonexistent/chromium (CHROMIUM_PATH). Install it with `apt-get install -y chromium`');
  });

  it('a file that is not executable is not a browser', () => {
    process.env.CHROMIUM_PATH = __filename;
    expect(() => chromiumPath()).toThrow(/apt-get install -y chromium/);
  });

  it('CHROMIUM_PATH wins over /usr/bin/chromium', () => {
    process.env.CHROMIUM_PATH = process.execPath;
    expect(chromiumPath()).toBe(process.execPath);
  });
});

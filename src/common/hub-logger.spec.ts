import { HubLogger } from './hub-logger';
import { currentLogFields, withLogFields } from './log-context';
import { Redactor, withRedaction } from './redaction';

/** What the logger wrote to stdout and stderr while `work` ran. */
function capture(work: () => void | Promise<void>): Promise<{ out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return Promise.resolve(work()).then(
    () => ({ out, err }),
    (error) => Promise.reject(error),
  ).finally(() => {
    stdout.mockRestore();
    stderr.mockRestore();
  });
}

describe('HubLogger', () => {
  const secret = 'super-secret-api-key-42';

  it('json: one object a line, with the run and account of the scope, credentials redacted', async () => {
    const logger = new HubLogger('json', 'log');
    const { out, err } = await capture(() =>
      withRedaction(Redactor.forCredentials({ api_key: secret }), async () => {
        withLogFields({ run_id: 'run-1', account_id: 'acc-1' }, () => logger.warn(`upstream said key=${secret}`, 'UpstreamHttp'));
        logger.log('outside the run', 'Hub');
        logger.error(`failed with ${secret}`, `Error: ${secret}\n    at x`, 'SyncService');
        logger.debug('not at this level', 'Hub');
      }),
    );
    expect(out).toHaveLength(2);
    for (const line of [...out, ...err]) expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
    const [warn, log] = out.map((line) => JSON.parse(line));
    expect(warn).toMatchObject({ level: 'warn', context: 'UpstreamHttp', message: 'upstream said key=[REDACTED]', run_id: 'run-1', account_id: 'acc-1', pid: process.pid });
    expect(log).toMatchObject({ level: 'log', context: 'Hub', message: 'outside the run' });
    expect(log.run_id).toBeUndefined();
    const error = JSON.parse(err[0]!);
    expect(error).toMatchObject({ level: 'error', message: 'failed with [REDACTED]', stack: 'Error: [REDACTED]\n    at x' });
    expect([...out, ...err].join('')).not.toContain(secret);
  });

  it('text: Nest\'s lines, redacted too', async () => {
    const logger = new HubLogger('text', 'log');
    const { out } = await capture(() => withRedaction(Redactor.forCredentials({ api_key: secret }), async () => logger.log(`key=${secret}`, 'Hub')));
    expect(out.join('')).toMatch(/\[Hub\] .*key=\[REDACTED\]/);
    expect(() => JSON.parse(out[0]!)).toThrow();
  });

  it('nested log scopes add their fields', () => {
    const seen: unknown[] = [];
    withLogFields({ account_id: 'a' }, () => withLogFields({ run_id: 'r' }, () => seen.push(currentLogFields())));
    expect(seen).toEqual([{ account_id: 'a', run_id: 'r' }]);
  });
});

import { join } from 'node:path';
import { HubError } from './errors';
import { WorkerThread } from './worker-thread';

describe('WorkerThread', () => {
  const dir = join(__dirname, '..', '..', 'test', 'support');
  let thread: WorkerThread;
  beforeEach(() => (thread = new WorkerThread(dir, 'echo-worker')));
  afterEach(() => thread.terminate());

  it('answers requests in order and moves transferred buffers without copying', async () => {
    const bytes = new ArrayBuffer(1024);
    const answers = await Promise.all([thread.call({ op: 'echo', value: 1 }), thread.call({ op: 'echo', value: [2], bytes }, [bytes])]);
    expect(answers).toEqual([
      { value: 1, byteLength: null },
      { value: [2], byteLength: 1024 },
    ]);
    expect(bytes.byteLength).toBe(0); // detached here: it now belongs to the worker
  });

  it('brings a HubError back as the same HubError, and other errors with their message', async () => {
    const hubError = await thread.call({ op: 'hub-error' }).catch((e: unknown) => e);
    expect(hubError).toBeInstanceOf(HubError);
    expect(hubError).toMatchObject({ code: 'UPSTREAM_MALFORMED_RESPONSE', message: 'JetBrains sent a page that is not JSON' });
    const bug = await thread.call({ op: 'bug' }).catch((e: unknown) => e);
    expect(bug).not.toBeInstanceOf(HubError);
    expect((bug as Error).message).toBe('cannot read properties of undefined');
    // Still serving after both.
    await expect(thread.call({ op: 'echo', value: 'ok' })).resolves.toMatchObject({ value: 'ok' });
  });

  it('fails every waiting and later call when the worker dies or is terminated', async () => {
    const answered = thread.call({ op: 'echo', value: 'before' });
    const dying = thread.call({ op: 'die' });
    const queued = thread.call({ op: 'echo', value: 'after' });
    await expect(answered).resolves.toMatchObject({ value: 'before' });
    await expect(dying).rejects.toThrow(/exited with code 3/);
    await expect(queued).rejects.toThrow(/exited with code 3/);
    await expect(thread.call({ op: 'echo' })).rejects.toThrow(/exited with code 3/);

    const other = new WorkerThread(dir, 'echo-worker');
    await other.terminate();
    await expect(other.call({ op: 'echo' })).rejects.toThrow(/terminated/);
  });
});

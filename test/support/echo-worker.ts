/** A worker for WorkerThread's tests: echoes, fails the ways a real worker can, or dies. */
import { HubError } from '../../src/common/errors';
import { serveRequests } from '../../src/common/worker-thread';

serveRequests((request: { op: 'echo' | 'hub-error' | 'bug' | 'die'; value?: unknown; bytes?: ArrayBuffer }) => {
  switch (request.op) {
    case 'echo':
      return { value: request.value, byteLength: request.bytes?.byteLength ?? null };
    case 'hub-error':
      throw new HubError('UPSTREAM_MALFORMED_RESPONSE', 'JetBrains sent a page that is not JSON');
    case 'bug':
      throw new TypeError('cannot read properties of undefined');
    case 'die':
      process.exit(3);
  }
});

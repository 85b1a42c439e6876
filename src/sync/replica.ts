import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process's name in the sync runs it owns: HUB_REPLICA_ID, or `host:pid:random` so that a
 * replica on the same host can tell at once that the owner process is gone (see ownerIsGone).
 */
export function replicaId(configured: string | null): string {
  return configured ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * True when `owner` names a process on this host that no longer exists: its runs can be reclaimed
 * without waiting for the lease (a single hub restarted after a crash sees its old run fail at
 * once). Any other owner (another host, an explicit HUB_REPLICA_ID) is judged by its lease alone.
 */
export function ownerIsGone(owner: string, host = hostname()): boolean {
  const match = /^(.*):(\d+):[0-9a-f]{6}$/.exec(owner);
  if (!match || match[1] !== host) return false;
  const pid = Number(match[2]);
  // Our pid under another name (callers skip their own runs): an earlier process that had it.
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

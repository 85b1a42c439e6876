import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { ownerIsGone, replicaId } from './replica';

describe('replica ids', () => {
  it('uses HUB_REPLICA_ID when given, else host, pid and a random part', () => {
    expect(replicaId('replica-a')).toBe('replica-a');
    expect(replicaId(null)).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${process.pid}:[0-9a-f]{6}$`));
    expect(replicaId(null)).not.toBe(replicaId(null));
  });

  it('tells a gone process on this host from a live one, and judges other owners by their lease alone', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    expect(ownerIsGone(`${hostname()}:${dead}:abcdef`)).toBe(true);
    expect(ownerIsGone(`${hostname()}:${process.ppid}:abcdef`)).toBe(false);
    // An earlier process that had this pid.
    expect(ownerIsGone(`${hostname()}:${process.pid}:abcdef`)).toBe(true);
    expect(ownerIsGone(`other-host:${dead}:abcdef`)).toBe(false);
    expect(ownerIsGone('replica-a')).toBe(false);
  });
});

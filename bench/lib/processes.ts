import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface Child {
  process: ChildProcess;
  /** What the child printed on its ready line. */
  ready: RegExpExecArray;
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry point as its own process (so its CPU and memory are its own, as in
 * production) and waits for a line matching `ready`.
 */
/** `scratchDir`: a directory of the child's own (a hub's data dir) removed once it has exited, so runs do not fill the disk. */
export function startChild(entry: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, nodeArgs: string[] = [], scratchDir?: string): Promise<Child> {
  // Compiled JavaScript runs as is (the hub, as `npm start` runs it); TypeScript through ts-node.
  const loader = entry.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          process: child,
          ready: match,
          stop: () =>
            new Promise<void>((done) => {
              const finished = () => {
                if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
                done();
              };
              if (child.exitCode !== null) return finished();
              child.once('exit', finished);
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output}`)));
  });
}

/** Resident memory of a process from /proc, in MB: current (VmRSS) and peak (VmHWM). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Samples a process's RSS every few milliseconds while `work` runs; returns the highest seen. */
export async function peakRssDuring<T>(pid: number, work: () => Promise<T>, everyMs = 10): Promise<{ result: T; peakMb: number }> {
  let peak = memoryOf(pid).rssMb;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, memoryOf(pid).rssMb);
    } catch {
      /* the process ended */
    }
  }, everyMs);
  try {
    const result = await work();
    peak = Math.max(peak, memoryOf(pid).rssMb);
    return { result, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time a process has used, in ms: all its threads, and its main thread alone (the JavaScript
 * event loop, where the hub's database writes run). Unlike wall time, hardly moved by other load.
 */
export function cpuOf(pid: number): { processMs: number; mainThreadMs: number } {
  const ticks = (path: string) => {
    // Fields after the command name, which is in brackets and may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  };
  return { processMs: ticks(`/proc/${pid}/stat`), mainThreadMs: ticks(`/proc/${pid}/task/${pid}/stat`) };
}

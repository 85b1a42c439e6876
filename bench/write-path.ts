import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataset, DatasetOrder } from '../sandbox/jetbrains/dataset';
import type { JbLicense } from '../src/connectors/jetbrains/jetbrains.types';
import { HandedOut, LicenseAccumulator } from '../src/connectors/jetbrains/jetbrains.mapper';
import { snapshotChunks } from '../src/connectors/jetbrains/jetbrains.snapshot';
import { openDatabase } from '../src/store/database';
import { DirectoryRepository } from '../src/store/directory.repository';
import { PeopleRepository } from '../src/store/people.repository';
import { SeatsRepository } from '../src/store/seats.repository';
import { SnapshotWriter } from '../src/sync/snapshot-writer';

/**
 * The write path of a JetBrains sync alone, in one process, without the network or the worker
 * thread: what the main thread spends storing a snapshot. The pages are mapped up front (not
 * timed); then the raw licenses are written page by page as a sync writes them while downloading,
 * and the records chunk by chunk as the worker hands them back (derived seats and people included).
 *
 *   npx ts-node --transpile-only bench/write-path.ts [100k] [realistic|friendly] [runs] [sqlite|postgres://…]
 */
async function main(): Promise<void> {
  const [size = '100k', order = 'realistic', runsText = '3', target = 'sqlite'] = process.argv.slice(2);
  const dataset = buildDataset(size, new Date('2026-06-01T00:00:00Z'), { order: order as DatasetOrder });
  // Served as the hub reads them: assigned licenses, then unassigned, 200 per page.
  const served = [...dataset.licenses.filter((l) => l.assignee), ...dataset.licenses.filter((l) => !l.assignee)];
  const pages: JbLicense[][] = [];
  for (let i = 0; i < served.length; i += 200) pages.push(served.slice(i, i + 200));
  const runs: Record<string, number>[] = [];
  for (let run = 0; run < Number(runsText); run++) {
    const accumulator = new LicenseAccumulator();
    const handedOutPerPage: HandedOut[] = pages.map((page) => {
      const out: HandedOut = { parts: [], seats: [] };
      accumulator.add(page, out);
      return out;
    });
    const dir = mkdtempSync(join(tmpdir(), 'hub-write-'));
    const db = await openDatabase(target === 'sqlite' ? { kind: 'sqlite', file: join(dir, 'hub.sqlite') } : { kind: 'postgres', url: target });
    try {
      const snapshotId = `run-${Date.now()}-${run}`;
      const tables: Record<string, number> = {};
      const timed = <T extends object>(repo: T, name: string, method: keyof T): T => {
        const original = (repo[method] as (...args: unknown[]) => Promise<void>).bind(repo);
        (repo as Record<keyof T, unknown>)[method] = async (...args: unknown[]) => {
          const started = performance.now();
          await original(...args);
          tables[name] = Math.round((tables[name] ?? 0) + performance.now() - started);
        };
        return repo;
      };
      const directory = timed(timed(new DirectoryRepository(db), 'records', 'write'), 'parts', 'writeParts');
      const writer = new SnapshotWriter(directory, { seats: timed(new SeatsRepository(db), 'seats', 'write'), people: timed(new PeopleRepository(db), 'people', 'write') }, snapshotId);
      const written = () => Number(/wchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? 0);
      const wchar0 = written();
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      for (const { parts, seats } of handedOutPerPage) await writer.writeChunk({ kind: 'users', parts, seats });
      const partsDone = performance.now();
      const chunks = [...snapshotChunks(accumulator, dataset.teams)];
      const serialised = performance.now();
      for (const chunk of chunks) await writer.writeChunk(chunk);
      await writer.finish();
      const done = performance.now();
      const cpu = process.cpuUsage(cpu0);
      const writtenMb = Math.round((written() - wchar0) / 1048576);
      const mb = (file: string) => (target === 'sqlite' ? Math.round(statSync(join(dir, file)).size / 1048576) : 0);
      runs.push({
        parts_ms: Math.round(partsDone - started),
        records_ms: Math.round(done - serialised),
        write_ms: Math.round(partsDone - started + done - serialised),
        cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
        sys_ms: Math.round(cpu.system / 1000),
        written_mb: writtenMb,
        db_mb: mb('hub.sqlite'),
        wal_mb: mb('hub.sqlite-wal'),
      });
      console.log(`  run ${run + 1}: ${JSON.stringify(runs[runs.length - 1])} inserts (ms): ${JSON.stringify(tables)}`);
      if (target !== 'sqlite') await new DirectoryRepository(db).deleteSnapshot(snapshotId);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const median = (key: string) => runs.map((r) => r[key]!).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  const spread = (key: string) => `${Math.min(...runs.map((r) => r[key]!))}-${Math.max(...runs.map((r) => r[key]!))}`;
  console.log(
    `${size} ${order} on ${target === 'sqlite' ? 'sqlite' : 'postgres'}: write ${median('write_ms')} ms (${spread('write_ms')}), ` +
      `parts ${median('parts_ms')} ms (${spread('parts_ms')}), records ${median('records_ms')} ms (${spread('records_ms')}), cpu ${median('cpu_ms')} ms (${spread('cpu_ms')}), written ${median('written_mb')} MB (${spread('written_mb')})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

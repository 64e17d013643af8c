/**
 * `npm run bench:fs` (node bench/fs.ts): B5 of BENCHMARKS.md — the file
 * system scenarios of Cloudflare Workspace's fs-bench (bench/fs/fsScenarios.ts)
 * on a draft mounted with `grove mount --draft`, on tmpfs (/dev/shm) and on
 * the local disk, side by side in one run: each sample in a fresh folder,
 * the targets in a new random order every round, the median of `--reps`
 * samples after `--warmup` untimed ones. Grove and the mount run as
 * processes of their own (bench/fs/startFsMount.ts); the mount syncs only on
 * demand, and three syncs are timed apart after the scenarios (1,000 tiny
 * files; a new 64 MiB file; 100 bytes changed in it). The npm scenario installs a tarball built here,
 * offline. Prints one table (ratio mount / disk beside Workspace's
 * published ratio and the goal) and writes bench/results/fs-<timestamp>.json.
 * Options: bench/fs/fsOptions.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CACHE_DIR, RESULTS_DIR, benchGitEnv } from './benchEnv.ts';
import { fsScenarios } from './fs/fsScenarios.ts';
import { parseFsOptions } from './fs/fsOptions.ts';
import { goalOf, ratioOf, renderFsTable, type FsRow } from './fs/renderFsTable.ts';
import { runFsSample } from './fs/runFsSample.ts';
import { startFsMount, type FsMount } from './fs/startFsMount.ts';
import { buildTinyPackage } from './fs/tinyPackage.ts';
import { formatMs, median } from './stats.ts';

const options = parseFsOptions(process.argv.slice(2));
const started = performance.now();
const log = (line: string): void => {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};

mkdirSync(CACHE_DIR, { recursive: true });
const work = mkdtempSync(join(CACHE_DIR, 'fs-run-'));
const disk = join(work, 'disk');
mkdirSync(disk);
const shm = mkdtempSync('/dev/shm/grove-bench-fs-');
const profileDir = join(CACHE_DIR, 'profiles-fs');
if (options.cpuProf) rmSync(profileDir, { recursive: true, force: true });

let mount: FsMount | null = null;
const cleanUp = async (): Promise<void> => {
  const running = mount;
  mount = null;
  if (running !== null) await running.stop().catch((err: unknown) => log(`stopping the mount: ${String(err)}`));
  rmSync(shm, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  const tiny = buildTinyPackage(work);
  mount = await startFsMount({ work, nodeArgs: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
  log(`mounted a draft on ${mount.dir} (cache ${mount.cacheDir}, pid ${mount.pid})`);
  const targets = { disk, tmpfs: shm, mount: mount.dir } as const;
  type Target = keyof typeof targets;
  const env = { ...benchGitEnv(), PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  const errFile = join(work, 'sample.err');
  const scenarios = fsScenarios(tiny.script).filter((s) => options.scenarios.length === 0 || options.scenarios.some((f) => s.name.includes(f)));
  const rows: FsRow[] = [];
  const samples: Record<string, Record<Target, number[]>> = {};
  for (const scenario of scenarios) {
    const times: Record<Target, number[]> = { disk: [], tmpfs: [], mount: [] };
    const failed = new Set<Target>();
    for (let round = 0; round < options.warmup + options.reps; round++) {
      const order = (Object.keys(targets) as Target[]).sort(() => Math.random() - 0.5);
      for (const target of order) {
        if (failed.has(target)) continue;
        try {
          const ms = await runFsSample({ target: targets[target], run: scenario.run, ...(scenario.prep === undefined ? {} : { prep: scenario.prep }), env, errFile });
          if (round >= options.warmup) times[target].push(ms);
        } catch (err) {
          failed.add(target);
          log(`${scenario.name} on ${target}: ${(err as Error).message}`);
        }
      }
    }
    const med = (t: Target): number | null => (failed.has(t) ? null : median(times[t]));
    const row: FsRow = { scenario: scenario.name, disk: med('disk'), tmpfs: med('tmpfs'), mount: med('mount'), anchor: scenario.anchor, big: scenario.big };
    rows.push(row);
    samples[scenario.name] = times;
    const ratio = ratioOf(row);
    log(`${scenario.name}: disk ${row.disk === null ? '—' : formatMs(row.disk)}, tmpfs ${row.tmpfs === null ? '—' : formatMs(row.tmpfs)}, mount ${row.mount === null ? '—' : formatMs(row.mount)}${ratio === null ? '' : ` (${ratio.toFixed(2)}× disk)`}`);
  }

  // Syncs, timed apart: what the mount sends once the work is done.
  const syncs: { what: string; ms: number; output: string }[] = [];
  await mount.sync();
  await runFsSample({ target: mount.dir, run: 'mkdir "$TARGET/tiny" && cd "$TARGET/tiny" && for i in $(seq 1 1000); do echo $i > f$i; done', env, errFile });
  syncs.push({ what: 'sync of 1,000 new tiny files', ...(await mount.sync()) });
  await runFsSample({ target: mount.dir, run: 'dd if=/dev/urandom of="$TARGET/big64" bs=1M count=64 status=none', env, errFile });
  syncs.push({ what: 'sync of one new 64 MiB file', ...(await mount.sync()) });
  await runFsSample({ target: mount.dir, run: 'head -c 100 /dev/urandom | dd of="$TARGET/big64" bs=1 seek=33554432 conv=notrunc status=none', env, errFile });
  syncs.push({ what: 'sync of 100 bytes changed in the middle of that file', ...(await mount.sync()) });

  const fsType = (path: string): string => `0x${statfsSync(path).type.toString(16)}`;
  const table = renderFsTable(rows);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = `B5 — ${options.reps} samples (median) after ${options.warmup} warm-up, ${cpus().length} × ${cpu}; disk ${disk} (fs ${fsType(disk)}), tmpfs ${shm}, mount cache on the disk`;
  process.stdout.write(`\n${header}\n\n${table}\n\n${syncs.map((s) => `${s.what}: ${formatMs(s.ms)} (${s.output})`).join('\n')}\n`);
  const unmet = rows.filter((r) => { const ratio = ratioOf(r); return ratio !== null && ratio > goalOf(r); });
  process.stdout.write(`goal met on ${rows.length - unmet.length} of ${rows.length} scenarios${unmet.length === 0 ? '' : ` (not: ${unmet.map((r) => r.scenario).join(', ')})`}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `fs-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ header, options, rows, samples, syncs }, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
  if (options.cpuProf) process.stdout.write(`mount profile in ${profileDir} (node bench/profileSummary.ts <file>)\n`);
} finally {
  await cleanUp();
}

/**
 * `npm run bench:lazy` (node bench/lazy.ts): B6 of BENCHMARKS.md — a lazy
 * mount of a big repository (`grove mount <remote> <dir>`, src/mount/lazy)
 * against `git clone` and `git clone --filter=blob:none` of the same remote,
 * measured side by side in the same run.
 *
 * For each corpus (bench/corpus, medium and large by default) and server
 * (Grove, and C Git's `git http-backend` behind the Node CGI wrapper, each a
 * process of its own, pinned to core 0 while this process and every client
 * run on core 1), `--runs` rounds of: a full clone, a blobless clone, a
 * lazy mount (bench/lazy/runMountSample.ts). Medians are reported (read
 * latencies pooled over the runs); the first mount of each block is checked
 * file by file against the full clone. Prints one table and writes
 * bench/results/lazy-<timestamp>.json. Options: bench/lazy/lazyOptions.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RESULTS_DIR } from './benchEnv.ts';
import { ensureCorpus } from './corpus/ensureCorpus.ts';
import { headFiles } from './lazy/headFiles.ts';
import { parseLazyOptions } from './lazy/lazyOptions.ts';
import { percentile } from './lazy/percentile.ts';
import { renderLazyTable, type LazyRow } from './lazy/renderLazyTable.ts';
import { runCloneSample, type CloneSample } from './lazy/runCloneSample.ts';
import { runMountSample, type MountSample } from './lazy/runMountSample.ts';
import { treeDigest } from './lazy/treeDigest.ts';
import { pinClientSide } from './pinning.ts';
import type { BenchServer } from './servers/BenchServer.ts';
import { startCGitServer } from './servers/startCGitServer.ts';
import { startGroveServer } from './servers/startGroveServer.ts';
import { formatBytes, median } from './stats.ts';

const options = parseLazyOptions(process.argv.slice(2));
const started = performance.now();
const log = (line: string): void => {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};
const cores = availableParallelism();
const pinned = pinClientSide(options.pin);
const work = mkdtempSync(join(tmpdir(), 'grove-bench-lazy-'));
const servers: BenchServer[] = [];
const stopAll = async (): Promise<void> => {
  for (const server of servers.splice(0)) await server.stop().catch(() => {});
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll().then(() => process.exit(130)));

const rows: LazyRow[] = [];
const notes: string[] = [];
const results: Record<string, unknown>[] = [];
let sample = 0;
const fresh = (name: string): string => join(work, `${name}-${++sample}`);

try {
  for (const name of options.servers) {
    log(`starting ${name}…`);
    servers.push(name === 'grove' ? await startGroveServer(join(work, 'grove-data')) : await startCGitServer(join(work, 'cgit-repos')));
  }
  for (const size of options.sizes) {
    const corpus = await ensureCorpus(size, options.seed, log);
    const head = await headFiles(corpus.gitDir, options.seed);
    log(`corpus ${corpus.label}: ${corpus.objects} objects, ${formatBytes(corpus.packBytes)} packed, ${head.files.length} files at HEAD; first read: ${head.first}`);
    for (const server of servers) {
      const block = `${size}, ${server.name === 'grove' ? 'Grove' : 'C Git'}`;
      log(`${block}: importing the corpus…`);
      const repo = await server.importCorpus(`lazy-${size}`, corpus);
      const token = repo.headers['authorization']?.replace(/^Bearer /, '');
      const clones: CloneSample[] = [];
      const blobless: CloneSample[] = [];
      const mounts: MountSample[] = [];
      let expected: Map<string, string> | undefined;
      for (let run = 1; run <= options.runs; run++) {
        const cloneDir = fresh('clone');
        clones.push(await runCloneSample({ url: repo.url, gitConfig: repo.gitConfig, dir: cloneDir, filter: false, head, reads: options.reads }));
        if (expected === undefined) expected = await treeDigest(cloneDir);
        rmSync(cloneDir, { recursive: true, force: true });
        const bloblessDir = fresh('blobless');
        blobless.push(await runCloneSample({ url: repo.url, gitConfig: repo.gitConfig, dir: bloblessDir, filter: true, head, reads: options.reads }));
        rmSync(bloblessDir, { recursive: true, force: true });
        const mount = await runMountSample({
          url: repo.url, ...(token === undefined ? {} : { token }), dir: fresh('mnt'), cache: fresh('cache'), head, reads: options.reads,
          ...(run === 1 ? { expected } : {}),
        });
        mounts.push(mount);
        if (mount.differences !== undefined && mount.differences.length > 0) throw new Error(`${block}: the mount differs from a full clone:\n${mount.differences.join('\n')}`);
        log(`${block} run ${run}: clone ${clones.at(-1)!.cloneMs.toFixed(0)} ms, blobless ${blobless.at(-1)!.cloneMs.toFixed(0)} ms; mount listable ${mount.listableMs.toFixed(0)} ms, full ${mount.fullMs.toFixed(0)} ms, git status ${mount.statusMs.toFixed(0)} ms, ${mount.latencies.length} reads while hydrating`);
        for (const error of mount.errors) notes.push(`${block} run ${run}: mount reported: ${error}`);
      }
      const med = <T>(samples: T[], pick: (s: T) => number): number => median(samples.map(pick));
      const pooled = <T extends { latencies: number[] }>(samples: T[]): number[] => samples.flatMap((s) => s.latencies);
      const cloneMs = med(clones, (s) => s.cloneMs);
      rows.push(
        { block, metric: 'listable', mount: med(mounts, (s) => s.listableMs), clone: cloneMs, blobless: med(blobless, (s) => s.cloneMs), goal: { kind: 'ratio', max: 0.15 } },
        { block, metric: 'first ls -lR', mount: med(mounts, (s) => s.lsMs), clone: med(clones, (s) => s.lsMs), blobless: med(blobless, (s) => s.lsMs) },
        { block, metric: `first read of ${head.first}`, mount: med(mounts, (s) => s.firstReadMs), clone: med(clones, (s) => s.firstReadMs), blobless: med(blobless, (s) => s.firstReadMs), goal: { kind: 'ratio', max: 0.2 } },
        { block, metric: 'full hydration', mount: med(mounts, (s) => s.fullMs), clone: cloneMs, blobless: med(blobless, (s) => s.cloneMs), goal: { kind: 'ratio', max: 1.1 } },
        { block, metric: 'read p50 while hydrating', mount: percentile(pooled(mounts), 50), clone: percentile(pooled(clones), 50), blobless: percentile(pooled(blobless), 50) },
        { block, metric: 'read p99 while hydrating', mount: percentile(pooled(mounts), 99), clone: percentile(pooled(clones), 99), blobless: percentile(pooled(blobless), 99) },
        { block, metric: 'git status', mount: med(mounts, (s) => s.statusMs), clone: med(clones, (s) => s.statusMs), blobless: med(blobless, (s) => s.statusMs), goal: { kind: 'ms', max: 1000 } },
      );
      notes.push(`${block}: ${head.files.length} files, ${mounts.map((m) => m.latencies.length).join('/')} reads while hydrating per run; the mount matched a full clone file by file`);
      results.push({ size, server: server.name, clones, blobless, mounts: mounts.map(({ latencies, ...rest }) => ({ ...rest, reads: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) })) });
    }
  }
  const table = renderLazyTable(rows);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = `B6 — lazy mount (${options.runs} runs, medians; ${cores} cores, ${cpu}; ${pinned ? 'servers on core 0, clients and the mount on core 1' : 'not pinned'})`;
  process.stdout.write(`\n${header}\n\n${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `lazy-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ options, pinned, header, rows, notes, results }, null, 2)}\n`);
  log(`results: ${file}`);
} finally {
  await stopAll();
  if (!options.keep) rmSync(work, { recursive: true, force: true });
}

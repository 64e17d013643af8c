/**
 * `npm run bench` (node bench/run.ts): Grove against C Git's `git
 * http-backend`, side by side on 127.0.0.1 — B1 (server cost of replayed
 * fetches), B2 (real `git` end to end), B4 (peak memory) — on a generated
 * corpus (medium by default) or `--repo <path>`. Prints one table (scenario,
 * Grove, C Git, ratio, goal, met?) and writes bench/results/<timestamp>.json.
 * Options: see options.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CACHE_DIR, RESULTS_DIR } from './benchEnv.ts';
import { ensureCorpus, existingCorpus, type Corpus } from './corpus/ensureCorpus.ts';
import { parseOptions } from './options.ts';
import { pinClientSide } from './pinning.ts';
import { renderTable } from './report/printTable.ts';
import type { Row } from './report/Row.ts';
import { messageOf, type BenchContext, type ServedCorpus } from './scenarios/BenchContext.ts';
import { runB1 } from './scenarios/b1ServerCost.ts';
import { runB2 } from './scenarios/b2EndToEnd.ts';
import { runB4 } from './scenarios/b4Memory.ts';
import type { BenchServer } from './servers/BenchServer.ts';
import { startCGitServer } from './servers/startCGitServer.ts';
import { startGroveServer } from './servers/startGroveServer.ts';
import { formatBytes } from './stats.ts';
import { runGit } from './gitCli.ts';

const options = parseOptions(process.argv.slice(2));
const started = performance.now();
const log = (line: string): void => {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};

// Counted before pinning, which narrows what this process may use to one core.
const cores = availableParallelism();
const pinned = pinClientSide(options.pin);
const corpus: Corpus = options.repo === undefined ? await ensureCorpus(options.size, options.seed, log) : await existingCorpus(options.repo);
log(`corpus ${corpus.label}: ${corpus.objects} objects, ${formatBytes(corpus.packBytes)} packed, ${corpus.refs.length} refs`);

const workDir = mkdtempSync(join(tmpdir(), 'grove-bench-'));
const groveNodeArgs = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(CACHE_DIR, 'profiles')}`] : undefined;
const rows: Row[] = [];
const setup: Record<string, number> = {};
const running: BenchServer[] = [];

const stopAll = async (): Promise<void> => {
  for (const server of running.splice(0)) await server.stop().catch(() => {});
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAll().then(() => process.exit(130));
  });
}

try {
  if (options.only.has('B1') || options.only.has('B2')) {
    const grove = await startGroveServer(join(workDir, 'grove-data'), groveNodeArgs === undefined ? {} : { nodeArgs: groveNodeArgs });
    running.push(grove);
    const cgit = await startCGitServer(join(workDir, 'cgit'), { bitmaps: options.bitmaps });
    running.push(cgit);
    const load = async (server: BenchServer): Promise<ServedCorpus> => {
      const start = performance.now();
      try {
        const repo = await server.importCorpus('corpus', corpus);
        setup[`${server.name} load corpus ms`] = performance.now() - start;
        log(`${server.name}: corpus loaded in ${((performance.now() - start) / 1000).toFixed(1)} s`);
        return { server, repo };
      } catch (err) {
        log(`${server.name}: cannot load the corpus: ${messageOf(err)}`);
        return { server, repo: undefined, setupError: `loading the corpus failed: ${messageOf(err)}` };
      }
    };
    const servers = { grove: await load(grove), cgit: await load(cgit) };
    const bumps = { grove: 0, cgit: 0 };
    const ctx: BenchContext = {
      corpus,
      servers,
      rounds: options.rounds,
      async bumpRefs(name) {
        const repo = servers[name].repo;
        if (repo === undefined) return;
        // Create, then delete, then create… so that each bump is a real change of the refs.
        const refspec = bumps[name]++ % 2 === 0 ? `${corpus.headOid}:refs/bench/bump` : ':refs/bench/bump';
        await runGit([...repo.gitConfig, 'push', '--quiet', '--force', repo.url, refspec], { cwd: corpus.gitDir });
        await servers[name].server.settle();
        await servers[name].server.dropCaches();
      },
      workDir,
      log,
    };
    if (options.only.has('B1')) rows.push(...(await runB1(ctx)));
    if (options.only.has('B2')) rows.push(...(await runB2(ctx)));
    await stopAll();
  }
  if (options.only.has('B4')) {
    const b4Corpus = options.b4Size === undefined || options.repo !== undefined ? corpus : await ensureCorpus(options.b4Size, options.seed, log);
    if (b4Corpus !== corpus) log(`B4 corpus ${b4Corpus.label}: ${b4Corpus.objects} objects, ${formatBytes(b4Corpus.packBytes)} packed`);
    rows.push(...(await runB4({ corpus: b4Corpus, workDir, log, bitmaps: options.bitmaps, ...(groveNodeArgs === undefined ? {} : { groveNodeArgs }) })));
  }
} finally {
  await stopAll();
  if (options.keep) log(`scratch directory kept: ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

const date = new Date();
const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
const header = [
  `Grove vs C Git (${gitVersion}, http-backend behind a Node CGI wrapper), ${date.toISOString()}`,
  `corpus: ${corpus.label} — ${corpus.objects} objects, ${formatBytes(corpus.packBytes)} packed, ${corpus.refs.length} refs; ${options.rounds} rounds, medians`,
  `C Git: receive.fsckObjects on, reachability bitmap ${options.bitmaps ? 'used' : 'not used'}; Grove: default settings (pack cache on)`,
  `machine: ${cores} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${pinned ? 'pinned: servers on core 0, clients on core 1 (taskset)' : 'not pinned'}`,
  `total run time ${((performance.now() - started) / 1000).toFixed(0)} s; ratio = Grove / C Git`,
];
process.stdout.write(`${renderTable(header, rows)}\n`);

mkdirSync(RESULTS_DIR, { recursive: true });
const file = join(RESULTS_DIR, `${date.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      date: date.toISOString(),
      git: gitVersion,
      node: process.version,
      cpus: cores,
      cpuModel: cpus()[0]?.model,
      pinned,
      rounds: options.rounds,
      corpus: { label: corpus.label, objects: corpus.objects, packBytes: corpus.packBytes, refs: corpus.refs.length },
      setup,
      rows,
    },
    null,
    2,
  )}\n`,
);
log(`results written to ${file}`);

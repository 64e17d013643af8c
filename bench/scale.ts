/**
 * `npm run bench:scale` (node bench/scale.ts): B3 of BENCHMARKS.md — creates,
 * forks and cold `ls-refs` at the scale of thousands of repositories.
 *
 * Grove runs as a process of its own (bench/scale/groveScaleMain.ts, on
 * 127.0.0.1, a scratch data directory) and is driven over HTTP from here:
 *   1. creates: N repositories one at a time and N more 8 in flight
 *      (alternating rounds); creates/s and latency;
 *   2. forks: the corpus (medium by default, from bench/.cache) pushed into
 *      one repository and a one-commit repository made; the server restarted
 *      and the data directory measured with every database closed; N forks of
 *      the corpus and 100 of the tiny one, interleaved, one at a time; the
 *      server stopped and the directory measured again: storage per fork;
 *   3. cold ls-refs: the server restarted with maxOpenRepos 16, a v2 ls-refs
 *      to each fork in turn (each finds its database closed), with a warm
 *      repository and C Git's http-backend (over repositories borrowing the
 *      corpus's objects through alternates) interleaved for reference; one
 *      fork cloned with `git clone` and checked with `git fsck`.
 * Prints one table (scenario, value, goal, met?) and writes
 * bench/results/scale-<timestamp>.json. Options: bench/scale/scaleOptions.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CACHE_DIR, RESULTS_DIR } from './benchEnv.ts';
import { ensureCorpus } from './corpus/ensureCorpus.ts';
import { runGit } from './gitCli.ts';
import { pinClientSide } from './pinning.ts';
import { checkForkClone } from './scale/checkForkClone.ts';
import { dataDirSize } from './scale/dataDirSize.ts';
import { distributionOf } from './scale/distribution.ts';
import { createRepo, forkRepo } from './scale/groveApi.ts';
import { HttpClient } from './scale/HttpClient.ts';
import { makeCGitForks } from './scale/makeCGitForks.ts';
import { renderScaleTable } from './scale/renderScaleTable.ts';
import { CREATE_ROUNDS, runCreates } from './scale/runCreates.ts';
import { runForks } from './scale/runForks.ts';
import { runLsRefs, type LsRefsPlan } from './scale/runLsRefs.ts';
import { parseScaleOptions } from './scale/scaleOptions.ts';
import type { ScaleRow } from './scale/ScaleRow.ts';
import { SCALE_ADMIN_TOKEN, startScaleGrove } from './scale/startScaleGrove.ts';
import { CORPUS_REFSPECS, type BenchServer } from './servers/BenchServer.ts';
import type { ServerProcess } from './servers/spawnServer.ts';
import { startCGitServer } from './servers/startCGitServer.ts';
import { storageGrowth } from './scale/storageGrowth.ts';
import { formatBytes } from './stats.ts';

const FORK_GOAL_MS = 5;
const FORK_GOAL_BYTES = 64 * 1024;
const CREATES_GOAL_PER_S = 500;
const LS_REFS_GOAL_MS = 5;
const CGIT_REPOS = 20;
const LS_REFS_EVERY = 5;
/** Repositories a fresh server opens before its LRU (maxOpenRepos 256 by default) starts closing databases, with a margin. */
const EVICTION_FREE = 250;
const SRC = 'src';
const FORKS = 'forks';
const BIG = 'big';
const TINY = 'tiny';

const options = parseScaleOptions(process.argv.slice(2));
const started = performance.now();
const log = (line: string): void => {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};
const round = (values: number[]): number[] => values.map((v) => Math.round(v * 1000) / 1000);

const cores = availableParallelism();
const pinned = pinClientSide(options.pin);
const corpus = await ensureCorpus(options.size, options.seed, log);
log(`corpus ${corpus.label}: ${corpus.objects} objects, ${formatBytes(corpus.packBytes)} packed, ${corpus.refs.length} refs`);

const workDir = mkdtempSync(join(tmpdir(), 'grove-bench-scale-'));
const dataDir = join(workDir, 'grove-data');
const profileRoot = join(CACHE_DIR, 'profiles-scale');
if (options.cpuProf) rmSync(profileRoot, { recursive: true, force: true });
const nodeArgsFor = (phase: string): string[] => (options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(profileRoot, phase)}`] : []);

const running: { stop(): Promise<void> }[] = [];
const stopAll = async (): Promise<void> => {
  for (const server of running.splice(0)) await server.stop().catch(() => {});
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAll().then(() => process.exit(130));
  });
}

/** Grove for one phase: started, used, stopped (so its databases are closed when `use` returns). */
async function withGrove<T>(phase: string, maxOpenRepos: number | undefined, use: (grove: ServerProcess, client: HttpClient) => Promise<T>): Promise<T> {
  const grove = await startScaleGrove(dataDir, { nodeArgs: nodeArgsFor(phase), ...(maxOpenRepos === undefined ? {} : { maxOpenRepos }) });
  running.push(grove);
  const client = new HttpClient(grove.url, Math.max(8, options.concurrency));
  try {
    return await use(grove, client);
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n  server output: ${grove.output().slice(-2000)}`);
  } finally {
    client.close();
    const at = running.indexOf(grove);
    if (at >= 0) running.splice(at, 1);
    await grove.stop();
  }
}

/** p50 of the first `k` samples (no database closed yet) and of the rest, or undefined when there is no rest. */
function splitNote(samples: number[], k: number): string | undefined {
  if (k <= 0 || samples.length <= k) return undefined;
  const first = distributionOf(samples.slice(0, k)).p50;
  const rest = distributionOf(samples.slice(k)).p50;
  return `p50 of the first ${k}, before the server has 256 databases open: ${first.toFixed(2)} ms; of the other ${samples.length - k}, each of which closes one: ${rest.toFixed(2)} ms`;
}
const noteOf = (note: string | undefined): { note?: string } => (note === undefined ? {} : { note });

const rows: ScaleRow[] = [];
const setup: Record<string, number | string> = {};

try {
  // 1. Creates, then the two repositories to fork.
  await withGrove('creates', undefined, async (grove, client) => {
    log(`creates: ${options.creates} one at a time and ${options.creates} with ${options.concurrency} in flight…`);
    const creates = await runCreates(client, SCALE_ADMIN_TOKEN, options.creates, options.concurrency);
    for (const [label, series] of [['sequential', creates.sequential], [`${options.concurrency} in flight`, creates.concurrent]] as const) {
      const d = distributionOf(series.samples);
      const rate = (series.samples.length / series.wallMs) * 1000;
      log(`creates ${label}: ${rate.toFixed(0)}/s, p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms`);
      // The first sequential round are the server's first repositories: none of them closes another's database; the
      // later rounds come after 2 · ⌊N / 4⌋ creates, so past 256 when N ≥ 512.
      const firstRound = Math.floor(options.creates / CREATE_ROUNDS);
      const note = series === creates.sequential && options.creates >= 512 ? splitNote(series.samples, Math.min(EVICTION_FREE, firstRound)) : undefined;
      rows.push(
        { scenario: `create (${label}, N=${series.samples.length})`, metric: 'creates/s', unit: 'per-s', value: rate, goal: { kind: 'min', value: CREATES_GOAL_PER_S } },
        { scenario: `create (${label}, N=${series.samples.length})`, metric: 'p50', unit: 'ms', value: d.p50, samples: round(series.samples), ...noteOf(note) },
        { scenario: `create (${label}, N=${series.samples.length})`, metric: 'p99', unit: 'ms', value: d.p99 },
      );
    }

    log(`pushing the ${corpus.label} corpus into ${SRC}/${BIG}…`);
    const big = await createRepo(client, SCALE_ADMIN_TOKEN, SRC, BIG, corpus.head.replace(/^refs\/heads\//, ''));
    const pushStart = performance.now();
    await runGit(['-c', `http.extraHeader=Authorization: Bearer ${big.repo.token}`, 'push', '--quiet', `${grove.url}/git/${SRC}/${BIG}.git`, ...CORPUS_REFSPECS], { cwd: corpus.gitDir });
    setup['push corpus ms'] = performance.now() - pushStart;
    log(`corpus pushed in ${((performance.now() - pushStart) / 1000).toFixed(1)} s`);

    const tinySrc = join(workDir, 'tiny-src');
    await runGit(['init', '--quiet', '-b', 'main', tinySrc]);
    writeFileSync(join(tinySrc, 'README.md'), '# tiny\n');
    await runGit(['add', 'README.md'], { cwd: tinySrc });
    await runGit(['commit', '--quiet', '-m', 'one commit'], { cwd: tinySrc });
    const tiny = await createRepo(client, SCALE_ADMIN_TOKEN, SRC, TINY);
    await runGit(['-c', `http.extraHeader=Authorization: Bearer ${tiny.repo.token}`, 'push', '--quiet', `${grove.url}/git/${SRC}/${TINY}.git`, 'main'], { cwd: tinySrc });
  });

  // 2. Forks, between two measures of the data directory with every database closed.
  const before = dataDirSize(dataDir);
  const fork = await withGrove('forks', undefined, async (_grove, client) => {
    log(`forks: ${options.forks} of ${SRC}/${BIG} and ${options.tinyForks} of ${SRC}/${TINY}, interleaved, one at a time…`);
    return runForks(client, SCALE_ADMIN_TOKEN, {
      namespace: SRC,
      big: BIG,
      tiny: TINY,
      target: FORKS,
      n: options.forks,
      tinyN: options.tinyForks,
      onProgress: (done) => log(`  ${done} forks of ${BIG}`),
    });
  });
  const after = dataDirSize(dataDir);
  const forkCount = fork.big.length + fork.tiny.length;
  const big = distributionOf(fork.big);
  const tiny = distributionOf(fork.tiny);
  log(`forks of ${BIG}: p50 ${big.p50.toFixed(2)} ms, p99 ${big.p99.toFixed(2)} ms; of ${TINY}: p50 ${tiny.p50.toFixed(2)} ms`);
  const growth = storageGrowth(before, after);
  const bigLabel = `fork ${corpus.label.replace(/ \(.*\)$/, '')} corpus (${formatBytes(corpus.packBytes)}, N=${fork.big.length})`;
  rows.push(
    { scenario: bigLabel, metric: 'p50', unit: 'ms', value: big.p50, goal: { kind: 'max', value: FORK_GOAL_MS }, samples: round(fork.big), ...noteOf(splitNote(fork.big, EVICTION_FREE)) },
    { scenario: bigLabel, metric: 'p99', unit: 'ms', value: big.p99 },
  );
  if (fork.tiny.length > 0) {
    rows.push(
      { scenario: `fork one-commit repo (N=${fork.tiny.length}, interleaved)`, metric: 'p50', unit: 'ms', value: tiny.p50, goal: { kind: 'max', value: FORK_GOAL_MS }, samples: round(fork.tiny) },
      { scenario: `fork one-commit repo (N=${fork.tiny.length}, interleaved)`, metric: 'p99', unit: 'ms', value: tiny.p99 },
      { scenario: 'fork p50, big / one-commit parent', metric: 'ratio', unit: 'ratio', value: big.p50 / tiny.p50, note: 'independent of the parent\'s size when ≈ 1×' },
    );
  }
  const breakdown = `${forkCount} forks: ${growth.newFiles} new files (${formatBytes(growth.newAllocated)} allocated, ${formatBytes(growth.newBytes)} apparent), control database ${formatBytes(growth.controlAllocated)} allocated / ${formatBytes(growth.controlBytes)} apparent, other ${formatBytes(growth.otherAllocated)}; measured with the server stopped`;
  rows.push(
    { scenario: 'fork storage', metric: 'data dir growth per fork, allocated (du)', unit: 'bytes', value: (after.allocated - before.allocated) / forkCount, goal: { kind: 'max', value: FORK_GOAL_BYTES }, note: breakdown },
    { scenario: 'fork storage', metric: 'data dir growth per fork, apparent size', unit: 'bytes', value: (after.bytes - before.bytes) / forkCount, goal: { kind: 'max', value: FORK_GOAL_BYTES } },
  );
  setup['data dir before forks (allocated)'] = before.allocated;
  setup['data dir after forks (allocated)'] = after.allocated;
  setup['fork storage breakdown'] = breakdown;

  // 3. Cold ls-refs with few databases open; C Git for reference; one fork cloned and checked.
  let cgit: BenchServer | undefined;
  let cgitNames: string[] = [];
  if (options.cgit) {
    const root = join(workDir, 'cgit');
    cgit = await startCGitServer(root);
    running.push(cgit);
    cgitNames = await makeCGitForks(cgit, root, corpus, CGIT_REPOS);
  }
  await withGrove('ls-refs', options.maxOpen, async (grove, client) => {
    const warm = (await forkRepo(client, SCALE_ADMIN_TOKEN, SRC, BIG, FORKS, 'warm')).repo.name;
    const gitHeaders = { authorization: `Bearer ${SCALE_ADMIN_TOKEN}` };
    const cgitClient = cgit === undefined ? undefined : new HttpClient(cgit.url, 1);
    const plan: LsRefsPlan = {
      grove: { client, path: (name) => `/git/${FORKS}/${name}.git/git-upload-pack`, headers: gitHeaders },
      cold: fork.bigNames.slice(0, options.lsRefs),
      warm,
      every: LS_REFS_EVERY,
      expectMain: corpus.headOid,
      ...(cgitClient === undefined ? {} : { cgit: { target: { client: cgitClient, path: (name) => `/${name}.git/git-upload-pack`, headers: {} }, names: cgitNames } }),
    };
    log(`ls-refs: ${plan.cold.length} forks round-robin with maxOpenRepos ${options.maxOpen}${cgit === undefined ? '' : `, C Git on ${cgitNames.length} repositories`} interleaved…`);
    const lsRefs = await runLsRefs(plan);
    cgitClient?.close();
    const cold = distributionOf(lsRefs.cold);
    const warmD = distributionOf(lsRefs.warm);
    log(`ls-refs cold p50 ${cold.p50.toFixed(2)} ms, p99 ${cold.p99.toFixed(2)} ms; warm p50 ${warmD.p50.toFixed(2)} ms`);
    const coldLabel = `ls-refs, cold repo (N=${lsRefs.cold.length}, maxOpenRepos ${options.maxOpen})`;
    rows.push(
      { scenario: coldLabel, metric: 'p50', unit: 'ms', value: cold.p50, goal: { kind: 'max', value: LS_REFS_GOAL_MS }, samples: round(lsRefs.cold) },
      { scenario: coldLabel, metric: 'p99', unit: 'ms', value: cold.p99 },
      { scenario: `ls-refs, warm repo (N=${lsRefs.warm.length}, interleaved)`, metric: 'p50', unit: 'ms', value: warmD.p50, samples: round(lsRefs.warm) },
    );
    if (lsRefs.cgit.length > 0) {
      const c = distributionOf(lsRefs.cgit);
      const label = `ls-refs, C Git http-backend (N=${lsRefs.cgit.length}, interleaved)`;
      rows.push(
        { scenario: label, metric: 'p50', unit: 'ms', value: c.p50, samples: round(lsRefs.cgit), note: 'reference only: the Node CGI wrapper spawns http-backend → upload-pack per request' },
        { scenario: label, metric: 'p99', unit: 'ms', value: c.p99 },
        { scenario: 'ls-refs p50, Grove cold / C Git', metric: 'ratio', unit: 'ratio', value: cold.p50 / c.p50 },
      );
    }
    const checked = fork.bigNames[Math.floor(fork.bigNames.length / 2)] as string;
    log(`cloning ${FORKS}/${checked} and running git fsck…`);
    const check = await checkForkClone(`${grove.url}/git/${FORKS}/${checked}.git`, SCALE_ADMIN_TOKEN, workDir, corpus);
    rows.push({ scenario: `clone of fork ${FORKS}/${checked}`, metric: 'git clone + git fsck', unit: 'check', value: check.ok ? 1 : 0, note: check.detail });
  });
} finally {
  await stopAll();
  if (options.keep) log(`scratch directory kept: ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

const date = new Date();
const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
const header = [
  `B3 — creates, forks, cold ls-refs: Grove, ${date.toISOString()}`,
  `corpus forked: ${corpus.label} — ${corpus.objects} objects, ${formatBytes(corpus.packBytes)} packed; forks copy HEAD and the default branch (the API's default)`,
  `Grove in its own process (startServer; default settings, so maxOpenRepos 256, for creates and forks; ${options.maxOpen} for ls-refs), driven over keep-alive HTTP from the bench process; latencies are client-side`,
  `creates and forks start on a freshly started server: past 256 repositories each one closes the least recently used database`,
  `anchor: Cloudflare Artifacts forks asynchronously, ~3.4 s for a tiny repo, ~41 s for a 33 MB repo`,
  `machine: ${cores} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${gitVersion}; ${pinned ? 'pinned: server on core 0, bench and git on core 1 (taskset)' : 'not pinned'}`,
  `total run time ${((performance.now() - started) / 1000).toFixed(0)} s`,
];
process.stdout.write(`${renderScaleTable(header, rows)}\n`);

mkdirSync(RESULTS_DIR, { recursive: true });
const file = join(RESULTS_DIR, `scale-${date.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      bench: 'B3',
      date: date.toISOString(),
      git: gitVersion,
      node: process.version,
      cpus: cores,
      cpuModel: cpus()[0]?.model,
      pinned,
      options,
      corpus: { label: corpus.label, objects: corpus.objects, packBytes: corpus.packBytes, refs: corpus.refs.length },
      setup,
      rows,
    },
    null,
    2,
  )}\n`,
);
log(`results written to ${file}`);


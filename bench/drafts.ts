/**
 * `npm run bench:drafts` (node bench/drafts.ts): what drafts cost
 * (docs/DRAFTS.md), over HTTP against the real server.
 *
 * Grove runs as a process of its own (bench/scale/groveScaleMain.ts, on
 * 127.0.0.1, a scratch data directory) and is driven over keep-alive HTTP
 * from here, as in bench/scale.ts:
 *   1. creates: a 10-file and a 20,000-file repository (one commit each,
 *      written with `git fast-import`, pushed once with `git push`), one
 *      draft made on each (it makes the draft tables), the server stopped
 *      and the data directory measured; then N drafts on each, interleaved,
 *      one at a time; the server stopped and the directory measured again:
 *      latency and storage per draft, small tree against big;
 *   2. writes: 1,000 small new files written to one draft with the `write`
 *      tool, one at a time, and the same 1,000 again (on a fresh draft) 8 in
 *      flight; a few runs of each, alternating;
 *   3. apply: a fresh draft with 1,000 existing files rewritten (untimed
 *      setup), then `POST …/apply` timed; the same for `checkpoint`; and for
 *      reference C Git doing it locally (write the files in a clone, `git add
 *      -A`, `git commit`, `git push` to a bare repository on disk), in
 *      interleaved runs; the branch then cloned with `git clone` and checked
 *      with `git fsck --strict`.
 * Prints one table and writes bench/results/drafts-<timestamp>.json.
 * Options: bench/drafts/draftsOptions.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CACHE_DIR, RESULTS_DIR } from './benchEnv.ts';
import { checkApplied } from './drafts/checkApplied.ts';
import { prepareCGit } from './drafts/cgitCommitPush.ts';
import { draftStorage, type DraftStorage, type TableUse } from './drafts/draftStorage.ts';
import { draftApi, type DraftApi, type RepoRef } from './drafts/draftApi.ts';
import { parseDraftsOptions } from './drafts/draftsOptions.ts';
import { makeTreeRepo } from './drafts/makeTreeRepo.ts';
import { renderDraftsTable } from './drafts/renderDraftsTable.ts';
import { runApplies } from './drafts/runApplies.ts';
import { runDraftCreates } from './drafts/runDraftCreates.ts';
import { runWrites, type WriteSeries } from './drafts/runWrites.ts';
import { changedPaths, smallWrites } from './drafts/writePlans.ts';
import { runGit } from './gitCli.ts';
import { pinClientSide } from './pinning.ts';
import { dataDirSize, type DirSize } from './scale/dataDirSize.ts';
import { distributionOf } from './scale/distribution.ts';
import { createRepo } from './scale/groveApi.ts';
import { HttpClient } from './scale/HttpClient.ts';
import type { ScaleRow } from './scale/ScaleRow.ts';
import { SCALE_ADMIN_TOKEN, startScaleGrove } from './scale/startScaleGrove.ts';
import type { ServerProcess } from './servers/spawnServer.ts';
import { formatBytes, median } from './stats.ts';

const NS = 'bench';
const SMALL_FILES = 10;
const WRITE_FOLDERS = 20;

const options = parseDraftsOptions(process.argv.slice(2));
const started = performance.now();
const log = (line: string): void => {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};
const round = (values: number[]): number[] => values.map((v) => Math.round(v * 1000) / 1000);
const thousands = (n: number): string => n.toLocaleString('en-US');

const cores = availableParallelism();
const pinned = pinClientSide(options.pin);

const workDir = mkdtempSync(join(tmpdir(), 'grove-bench-drafts-'));
const dataDir = join(workDir, 'grove-data');
const profileRoot = join(CACHE_DIR, 'profiles-drafts');
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

/** Grove for one phase: started, used, stopped (so its databases are closed and checkpointed when `use` returns). */
async function withGrove<T>(phase: string, use: (grove: ServerProcess, api: DraftApi, client: HttpClient) => Promise<T>): Promise<T> {
  const grove = await startScaleGrove(dataDir, { nodeArgs: nodeArgsFor(phase) });
  running.push(grove);
  const client = new HttpClient(grove.url, Math.max(8, options.concurrency));
  try {
    return await use(grove, draftApi(client, SCALE_ADMIN_TOKEN), client);
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n  server output: ${grove.output().slice(-2000)}`);
  } finally {
    client.close();
    const at = running.indexOf(grove);
    if (at >= 0) running.splice(at, 1);
    await grove.stop();
  }
}

/** Bytes (apparent, allocated) of a repository's database files (`repos/<id>.sqlite` and any -wal/-shm). */
function repoFiles(size: DirSize, id: string): [number, number] {
  let bytes = 0;
  let allocated = 0;
  for (const [path, [b, a]] of size.byFile) {
    if (path.startsWith(join('repos', `${id}.sqlite`))) {
      bytes += b;
      allocated += a;
    }
  }
  return [bytes, allocated];
}

const rows: ScaleRow[] = [];
const setup: Record<string, number | string> = {};

try {
  // 0. The two repositories, made with git fast-import.
  let start = performance.now();
  const small = await makeTreeRepo(join(workDir, 'small.git'), SMALL_FILES, options.seed);
  const big = await makeTreeRepo(join(workDir, 'big.git'), options.files, options.seed);
  setup['fast-import ms'] = performance.now() - start;
  log(`repositories made: ${SMALL_FILES} and ${thousands(options.files)} files (${formatBytes(big.bytes)}) in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  const smallRef: RepoRef = { namespace: NS, name: 'small' };
  const bigRef: RepoRef = { namespace: NS, name: 'big' };
  const ids: Record<'small' | 'big', string> = { small: '', big: '' };

  // 1a. Push each once, and make each one's first draft (it creates the draft tables, a one-time cost).
  await withGrove('setup', async (grove, api, client) => {
    for (const [key, repo, tree] of [['small', smallRef, small], ['big', bigRef, big]] as const) {
      const made = await createRepo(client, SCALE_ADMIN_TOKEN, repo.namespace, repo.name);
      ids[key] = made.repo.id;
      const push = await runGit(['-c', `http.extraHeader=Authorization: Bearer ${made.repo.token}`, 'push', '--quiet', `${grove.url}/git/${repo.namespace}/${repo.name}.git`, 'main'], { cwd: tree.gitDir });
      setup[`push ${key} ms`] = push.ms;
      log(`pushed ${repo.namespace}/${repo.name} (${thousands(tree.paths.length)} files) in ${(push.ms / 1000).toFixed(1)} s`);
      await api.create(repo, { label: 'first' });
    }
  });

  // 1b. Creates, between two measures of the data directory with every database closed.
  const before = dataDirSize(dataDir);
  const repoDb = (id: string): string => join(dataDir, 'repos', `${id}.sqlite`);
  const storage: { before: Record<string, DraftStorage>; after: Record<string, DraftStorage> } = {
    before: { small: draftStorage(repoDb(ids.small)), big: draftStorage(repoDb(ids.big)) },
    after: {},
  };
  const creates = await withGrove('creates', async (_grove, api) => {
    log(`draft creates: ${options.creates} on each repository, interleaved, one at a time…`);
    return runDraftCreates(api, smallRef, bigRef, options.creates);
  });
  const after = dataDirSize(dataDir);
  storage.after = { small: draftStorage(repoDb(ids.small)), big: draftStorage(repoDb(ids.big)) };
  const smallD = distributionOf(creates.small.samples);
  const bigD = distributionOf(creates.big.samples);
  log(`creates: ${SMALL_FILES} files p50 ${smallD.p50.toFixed(2)} ms, p99 ${smallD.p99.toFixed(2)} ms; ${thousands(options.files)} files p50 ${bigD.p50.toFixed(2)} ms, p99 ${bigD.p99.toFixed(2)} ms`);
  const smallLabel = `draft create, ${SMALL_FILES}-file repo (N=${creates.small.samples.length})`;
  const bigLabel = `draft create, ${thousands(options.files)}-file repo (N=${creates.big.samples.length}, interleaved)`;
  rows.push(
    { scenario: smallLabel, metric: 'p50', unit: 'ms', value: smallD.p50, samples: round(creates.small.samples) },
    { scenario: smallLabel, metric: 'p99', unit: 'ms', value: smallD.p99 },
    { scenario: bigLabel, metric: 'p50', unit: 'ms', value: bigD.p50, samples: round(creates.big.samples) },
    { scenario: bigLabel, metric: 'p99', unit: 'ms', value: bigD.p99 },
    { scenario: `draft create p50, ${thousands(options.files)} / ${SMALL_FILES} files`, metric: 'ratio', unit: 'ratio', value: bigD.p50 / smallD.p50, note: 'independent of the tree\'s size when ≈ 1×' },
  );
  const control = (size: DirSize): [number, number] => {
    let bytes = 0;
    let allocated = 0;
    for (const [path, [b, a]] of size.byFile) if (path.startsWith('grove.sqlite')) [bytes, allocated] = [bytes + b, allocated + a];
    return [bytes, allocated];
  };
  for (const [key, files] of [['small', SMALL_FILES], ['big', options.files]] as const) {
    const [, a0] = repoFiles(before, ids[key]);
    const [, a1] = repoFiles(after, ids[key]);
    const [s0, s1] = [storage.before[key], storage.after[key]];
    if (s0 === undefined || s1 === undefined) throw new Error(`no storage measure of ${key}`);
    const n = creates[key].samples.length;
    const use = (s: DraftStorage, table: string): TableUse => s.tables[table] ?? { rows: 0, pages: 0, payload: 0 };
    const rowsOf = (table: string): string => `${table} ${use(s0, table).rows} → ${use(s1, table).rows}`;
    const payload = Object.keys(s1.tables).reduce((sum, t) => sum + use(s1, t).payload - use(s0, t).payload, 0);
    const label = `draft storage, ${thousands(files)}-file repo`;
    rows.push(
      {
        scenario: label, metric: 'database pages in use, growth per draft', unit: 'bytes', value: Math.round(((s1.usedPages - s0.usedPages) * s1.pageSize) / n),
        note: `${n} drafts; rows: ${['drafts', 'draft_entries', 'draft_blobs'].map(rowsOf).join(', ')} (draft_entries is the overlay: a new draft copies no row of the tree); pages in use ${s0.usedPages} → ${s1.usedPages} of ${s1.pageSize} bytes, free ${s0.freePages} → ${s1.freePages}`,
      },
      { scenario: label, metric: 'row payload of the draft tables, growth per draft', unit: 'bytes', value: Math.round(payload / n) },
      {
        scenario: label, metric: 'database file growth per draft, allocated (du)', unit: 'bytes', value: Math.round((a1 - a0) / n),
        note: `repos/${ids[key]}.sqlite ${formatBytes(a0)} → ${formatBytes(a1)}, measured with the server stopped; a file with free pages (left by the push's staging) grows by less than it holds`,
      },
    );
  }
  const total = 2 * options.creates;
  const [cb0, ca0] = control(before);
  const [cb1, ca1] = control(after);
  rows.push({
    scenario: 'draft storage, both repos', metric: 'data dir growth per draft, allocated (du)', unit: 'bytes', value: Math.round((after.allocated - before.allocated) / total),
    note: `${total} drafts; control database ${formatBytes(ca1 - ca0)} allocated / ${formatBytes(cb1 - cb0)} apparent of it; data dir ${formatBytes(before.allocated)} → ${formatBytes(after.allocated)}`,
  });
  setup['data dir before creates (allocated)'] = before.allocated;
  setup['data dir after creates (allocated)'] = after.allocated;
  setup['draft storage'] = JSON.stringify(storage);

  // 2 and 3. Writes, then applies and checkpoints with C Git for reference, on one server.
  const notes = smallWrites(options.writes, WRITE_FOLDERS);
  const edited = changedPaths(big.paths, options.changed);
  log(`C Git reference: cloning the ${thousands(options.files)}-file repository (work tree and bare remote)…`);
  const cgit = await prepareCGit(workDir, big.gitDir);
  await withGrove('writes-apply', async (grove, api) => {
    const sequential: WriteSeries[] = [];
    const concurrent: WriteSeries[] = [];
    for (let run = 0; run < options.writeRuns; run++) {
      for (const [series, concurrency] of [[sequential, 1], [concurrent, options.concurrency]] as const) {
        const draft = (await api.create(bigRef, { label: `writes ${run} × ${concurrency}` })).value;
        const done = await runWrites(api, bigRef, draft.id, notes, concurrency);
        series.push(done);
        const d = distributionOf(done.samples);
        log(`writes run ${run + 1}/${options.writeRuns}, ${concurrency} in flight: ${done.samples.length} in ${done.wallMs.toFixed(0)} ms (${((done.samples.length / done.wallMs) * 1000).toFixed(0)}/s), p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms`);
        await api.discard(bigRef, draft.id);
      }
    }
    for (const [label, series] of [['one at a time', sequential], [`${options.concurrency} in flight`, concurrent]] as const) {
      const samples = series.flatMap((s) => s.samples);
      const wall = median(series.map((s) => s.wallMs));
      const d = distributionOf(samples);
      const scenario = `${thousands(options.writes)} writes to one draft, ${label} (median of ${series.length} runs)`;
      rows.push(
        { scenario, metric: 'total', unit: 'ms', value: wall, samples: round(series.map((s) => s.wallMs)) },
        { scenario, metric: 'writes/s', unit: 'per-s', value: (options.writes / wall) * 1000 },
        { scenario, metric: 'p50 of every write', unit: 'ms', value: d.p50, samples: round(samples) },
        {
          scenario, metric: 'p99 of every write', unit: 'ms', value: d.p99,
          ...(label === 'one at a time' ? { note: `~100-byte new files at distinct paths in ${WRITE_FOLDERS} folders of the ${thousands(options.files)}-file repo; a fresh draft per run` } : { note: 'changes to one draft run one at a time (a queue per draft): more in flight overlaps only the HTTP and JSON work' }),
        },
      );
    }

    log(`applies: ${options.applyRuns} runs of ${thousands(edited.length)} changed files (Grove apply, Grove checkpoint, C Git add+commit+push)…`);
    const applies = await runApplies(api, { repo: bigRef, paths: edited, runs: options.applyRuns, concurrency: options.concurrency, cgit, onRun: (run, line) => log(`  run ${run + 1}/${options.applyRuns}: ${line}`) });
    const apply = median(applies.apply);
    const checkpoint = median(applies.checkpoint);
    const setupMs = median(applies.setup);
    const gitMs = median(applies.cgit.map((r) => r.gitMs));
    const gitAll = median(applies.cgit.map((r) => r.gitMs + r.writeMs));
    const n = thousands(edited.length);
    rows.push(
      { scenario: `apply of ${n} changed files (median of ${applies.apply.length}, fresh draft each)`, metric: 'POST …/apply', unit: 'ms', value: apply, samples: round(applies.apply), note: `strategy ff-only: one commit on main; the files are evenly spread over the repo's ${Math.ceil(options.files / 100)} leaf folders` },
      { scenario: `checkpoint of ${n} changed files (median of ${applies.checkpoint.length}, fresh draft each)`, metric: 'POST …/checkpoint', unit: 'ms', value: checkpoint, samples: round(applies.checkpoint) },
      { scenario: `writing the ${n} changes into a draft (setup, median of ${applies.setup.length})`, metric: `write tool, ${options.concurrency} in flight`, unit: 'ms', value: setupMs, samples: round(applies.setup) },
      {
        scenario: `C Git, same ${n} changes in a clone (median of ${applies.cgit.length})`, metric: 'git add -A + commit + push', unit: 'ms', value: gitMs, samples: round(applies.cgit.map((r) => r.gitMs)),
        note: `medians: add ${median(applies.cgit.map((r) => r.addMs)).toFixed(0)} ms, commit ${median(applies.cgit.map((r) => r.commitMs)).toFixed(0)} ms, push to a bare repo on disk ${median(applies.cgit.map((r) => r.pushMs)).toFixed(0)} ms; writing the files ${median(applies.cgit.map((r) => r.writeMs)).toFixed(0)} ms (writeFileSync over files checked out earlier: on ext4, auto_da_alloc makes each truncate-and-rewrite flush on close)`,
      },
      { scenario: 'apply via Grove / commit+push with git', metric: 'ratio', unit: 'ratio', value: apply / gitMs },
      { scenario: 'write tool + apply via Grove / write files + commit + push with git', metric: 'ratio', unit: 'ratio', value: (setupMs + apply) / gitAll, note: `${(setupMs + apply).toFixed(0)} ms / ${gitAll.toFixed(0)} ms: the whole change, from the first write to the branch updated` },
    );
    setup['apply runs'] = JSON.stringify(applies.cgit.map((r, i) => ({ apply: applies.apply[i], checkpoint: applies.checkpoint[i], ...r })));

    const last = applies.last;
    if (last !== null) {
      log('cloning the applied branch and running git fsck --strict…');
      const check = await checkApplied(workDir, { url: `${grove.url}/git/${NS}/${bigRef.name}.git`, token: SCALE_ADMIN_TOKEN, sha: last.sha, parent: last.parent, files: last.files, total: options.files });
      rows.push({ scenario: `clone of ${NS}/${bigRef.name} after the last apply`, metric: 'git clone + git fsck --strict', unit: 'check', value: check.ok ? 1 : 0, note: check.detail });
    }
  });
} finally {
  await stopAll();
  if (options.keep) log(`scratch directory kept: ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

const date = new Date();
const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
const header = [
  `Drafts — create, writes, apply: Grove, ${date.toISOString()}`,
  `repositories: one commit each, ${SMALL_FILES} and ${thousands(options.files)} files (git fast-import), pushed once with git push`,
  'Grove in its own process (startServer, default settings), driven over keep-alive HTTP from the bench process; latencies are client-side',
  `machine: ${cores} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${gitVersion}; ${pinned ? 'pinned: server on core 0, bench and git on core 1 (taskset)' : 'not pinned'}`,
  `total run time ${((performance.now() - started) / 1000).toFixed(0)} s`,
];
process.stdout.write(`${renderDraftsTable(header, rows)}\n`);

mkdirSync(RESULTS_DIR, { recursive: true });
const file = join(RESULTS_DIR, `drafts-${date.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ bench: 'drafts', date: date.toISOString(), git: gitVersion, node: process.version, cpus: cores, cpuModel: cpus()[0]?.model, pinned, options, setup, rows }, null, 2)}\n`,
);
log(`results written to ${file}`);

/**
 * B1 — Git serving, server cost only (BENCHMARKS.md): captured protocol v2
 * `fetch … done` requests replayed on fresh connections by a client that
 * discards the body — full clone, incremental fetch (a clone 100 commits
 * behind), `deepen 1`, `filter blob:none`, and the full clone asked twice in a
 * row (the second is measured: a server may answer it from a cache). One
 * warm-up request each, then Grove, C Git, Grove, C Git… for every round.
 */
import type { Corpus } from '../corpus/ensureCorpus.ts';
import { runGit } from '../gitCli.ts';
import { measureServer } from '../measure/measureServer.ts';
import { replayFetch } from '../measure/replayFetch.ts';
import type { Goal, Row } from '../report/Row.ts';
import { fetchRequest } from '../requests/fetchRequest.ts';
import type { ServerName } from '../servers/BenchServer.ts';
import { cellOf, messageOf, ORDER, type BenchContext, type Series } from './BenchContext.ts';

interface Sample {
  ttfbMs: number;
  totalMs: number;
  packBytes: number;
  packObjects: number;
  cpuMs: number;
  peakRss: number;
}

interface Scenario {
  name: string;
  body: Uint8Array;
  /** A protocol feature a server may lack: failing is then "unsupported". */
  feature?: string;
  timeGoal: Goal;
  /** Ask once, unmeasured, before the measured request (a cache may then answer). */
  repeated?: boolean;
  /** Change the refs before each request (no cache can answer). */
  fresh?: boolean;
}

export const BEHIND = 100;

async function scenarios(corpus: Corpus): Promise<Scenario[]> {
  const heads = corpus.refs.filter((ref) => ref.name.startsWith('refs/heads/'));
  const tags = corpus.refs.filter((ref) => ref.name.startsWith('refs/tags/'));
  // git clone wants HEAD, then every branch and tag (GIT_TRACE_PACKET of git 2.39).
  const cloneWants = [corpus.headOid, ...heads.map((ref) => ref.oid), ...tags.map((ref) => ref.oid)];
  const full = fetchRequest({ wants: cloneWants });
  const list: Scenario[] = [
    { name: 'full clone', body: full, timeGoal: { kind: 'ratio', max: 1.0 }, fresh: true },
    { name: 'full clone, refs unchanged', body: full, timeGoal: { kind: 'ratio', max: 0.5 }, repeated: true },
  ];
  const behind = await runGit(['rev-parse', '--verify', '--quiet', `${corpus.head}~${BEHIND}`], { cwd: corpus.gitDir, check: false });
  if (behind.code === 0) {
    // The client has every ref as it is, except the default branch, 100 commits back.
    const peeled = await runGit(['for-each-ref', '--format=%(objectname) %(*objectname)', 'refs/heads', 'refs/tags'], { cwd: corpus.gitDir });
    const haves = new Set<string>();
    for (const line of peeled.stdout.split('\n')) {
      const [oid, target] = line.split(' ');
      const commit = target !== undefined && target !== '' ? target : oid;
      if (commit !== undefined && commit !== '' && commit !== corpus.headOid) haves.add(commit);
    }
    haves.add(behind.stdout.trim());
    list.push({
      name: `fetch ${BEHIND} commits`,
      body: fetchRequest({ wants: [corpus.headOid], haves: [...haves], includeTag: true }),
      timeGoal: { kind: 'ratio', max: 1.0 },
    });
  }
  list.push({
    name: 'clone --depth 1',
    body: fetchRequest({ wants: [corpus.headOid, corpus.headOid], args: ['deepen 1'], includeTag: true }),
    feature: 'shallow',
    timeGoal: { kind: 'ratio', max: 1.0 },
  });
  list.push({
    name: 'clone --filter=blob:none',
    body: fetchRequest({ wants: cloneWants, args: ['filter blob:none'] }),
    feature: 'filter',
    timeGoal: { kind: 'ratio', max: 1.0 },
  });
  return list;
}

async function runScenario(ctx: BenchContext, scenario: Scenario): Promise<Record<ServerName, Series<Sample>>> {
  const series: Record<ServerName, Series<Sample>> = { grove: { samples: [] }, cgit: { samples: [] } };
  for (const name of ORDER) {
    const { repo, setupError } = ctx.servers[name];
    if (repo === undefined) {
      series[name].failure = setupError ?? 'no repository';
      continue;
    }
    // Warm-up: page cache, JIT, open databases; and a first answer to tell "unsupported" early.
    try {
      if (scenario.fresh === true) await ctx.bumpRefs(name);
      const warm = await replayFetch(repo, scenario.body);
      if (warm.error !== undefined) series[name].failure = warm.error;
    } catch (err) {
      series[name].failure = messageOf(err);
    }
  }
  for (let round = 0; round < ctx.rounds; round++) {
    for (const name of ORDER) {
      const { server, repo } = ctx.servers[name];
      const s = series[name];
      if (s.failure !== undefined || repo === undefined) continue;
      try {
        if (scenario.fresh === true) await ctx.bumpRefs(name);
        if (scenario.repeated === true) await replayFetch(repo, scenario.body);
        const cost = await measureServer(server, () => replayFetch(repo, scenario.body));
        const r = cost.result;
        if (r.error !== undefined) {
          s.failure = r.error;
          continue;
        }
        s.samples.push({ ttfbMs: r.ttfbMs, totalMs: r.totalMs, packBytes: r.packBytes, packObjects: r.packObjects ?? -1, cpuMs: cost.cpuMs, peakRss: cost.peakRss });
      } catch (err) {
        s.failure = messageOf(err);
      }
    }
  }
  return series;
}

export async function runB1(ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const scenario of await scenarios(ctx.corpus)) {
    ctx.log(`B1 ${scenario.name}…`);
    const series = await runScenario(ctx, scenario);
    const unsupported = scenario.feature !== undefined;
    const cells = (pick: (s: Sample) => number) => ({
      grove: cellOf(series.grove, pick, unsupported),
      cgit: cellOf(series.cgit, pick, false),
    });
    const objects = (name: ServerName) => series[name].samples[0]?.packObjects;
    const groveObjects = objects('grove');
    const cgitObjects = objects('cgit');
    const note = groveObjects !== undefined && cgitObjects !== undefined && groveObjects !== cgitObjects
      ? `objects in the pack: Grove ${groveObjects}, C Git ${cgitObjects}`
      : undefined;
    const base = { group: 'B1' as const, scenario: scenario.name };
    rows.push(
      { ...base, metric: 'total', unit: 'ms', ...cells((s) => s.totalMs), goal: scenario.timeGoal },
      { ...base, metric: 'TTFB', unit: 'ms', ...cells((s) => s.ttfbMs), goal: { kind: 'absolute', max: 50 } },
      { ...base, metric: 'pack size', unit: 'bytes', ...cells((s) => s.packBytes), goal: { kind: 'ratio', max: 1.05 }, ...(note === undefined ? {} : { note }) },
      { ...base, metric: 'server CPU', unit: 'ms', ...cells((s) => s.cpuMs) },
      { ...base, metric: 'peak RSS', unit: 'bytes', ...cells((s) => s.peakRss) },
    );
  }
  return rows;
}

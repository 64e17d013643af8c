/**
 * B2 — Git end to end with the real `git` client (BENCHMARKS.md): clone
 * (full just after a ref changed, full again with the refs unchanged — Grove's
 * pack cache answers —, `--depth 1`, `--filter=blob:none`; all `--no-checkout`, so the
 * client's time is transfer and indexing, not writing a work tree), no-op
 * fetch, fetch of 1 and of 100 new commits (fresh copies of client
 * repositories that are behind), push of the whole corpus into an empty
 * repository (a new one per round on each server), push of one commit.
 * Grove, C Git, Grove, C Git… wall time of the `git` command, medians.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyClient, makeClientTemplate } from '../clients/clientTemplate.ts';
import type { Corpus } from '../corpus/ensureCorpus.ts';
import { runGit, type GitRun } from '../gitCli.ts';
import { measureServer } from '../measure/measureServer.ts';
import type { Goal, Row } from '../report/Row.ts';
import { CORPUS_REFSPECS, type RemoteRepo, type ServerName } from '../servers/BenchServer.ts';
import { cellOf, messageOf, ORDER, type BenchContext, type Series } from './BenchContext.ts';

interface Sample {
  ms: number;
  cpuMs: number;
}

interface Step {
  args: string[];
  cwd: string;
  /** A failure found in the result, when the command succeeded but did not do the job. */
  check?(run: GitRun): Promise<string | undefined>;
  cleanup?(): void;
}

interface Scenario {
  name: string;
  goal: Goal;
  feature?: string;
  /** Change the server's refs before each run, so no cached pack answers. */
  fresh?: boolean;
  prepare(server: ServerName, repo: RemoteRepo, round: number): Promise<Step>;
}

const CLONE: Goal = { kind: 'ratio', max: 1.05 };
const FETCH: Goal = { kind: 'ratio', max: 1.0 };
const PUSH: Goal = { kind: 'ratio', max: 1.3 };

async function scenarios(ctx: BenchContext): Promise<Scenario[]> {
  const { corpus } = ctx;
  const dir = join(ctx.workDir, 'b2');
  mkdirSync(dir, { recursive: true });
  const scratch = (name: string): string => {
    const path = join(dir, name);
    rmSync(path, { recursive: true, force: true });
    return path;
  };
  const clone = (name: string, flags: string[], feature?: string, check?: (run: GitRun) => string | undefined, fresh?: boolean): Scenario => ({
    name,
    goal: CLONE,
    ...(feature === undefined ? {} : { feature }),
    ...(fresh === undefined ? {} : { fresh }),
    async prepare(server, repo, round) {
      const target = scratch(`${server}-${name.replace(/\W+/g, '-')}-${round}`);
      return {
        args: [...repo.gitConfig, 'clone', '--quiet', '--no-checkout', ...flags, repo.url, target],
        cwd: dir,
        check: async (run: GitRun) => {
          const head = (await runGit(['rev-parse', 'HEAD'], { cwd: target, check: false })).stdout.trim();
          if (head !== corpus.headOid) return `the clone's HEAD is ${head}, expected ${corpus.headOid}`;
          return check?.(run);
        },
        cleanup: () => rmSync(target, { recursive: true, force: true }),
      };
    },
  });

  const list: Scenario[] = [
    clone('clone', [], undefined, undefined, true),
    clone('clone, refs unchanged', []),
    clone('clone --depth 1', ['--depth', '1'], 'shallow'),
    clone('clone --filter=blob:none', ['--filter=blob:none'], 'filter', (run) =>
      /filtering not recognized by server/.test(run.stderr) ? 'the server does not advertise filter (git cloned everything)' : undefined,
    ),
  ];

  ctx.log('B2 preparing client repositories…');
  const templates = new Map<number, string>();
  for (const behind of [0, 1, 100]) {
    const probe = await runGit(['rev-parse', '--verify', '--quiet', `${corpus.head}~${behind}`], { cwd: corpus.gitDir, check: false });
    if (probe.code !== 0) continue;
    const template = join(dir, `template-behind-${behind}.git`);
    await makeClientTemplate(corpus, behind, template);
    templates.set(behind, template);
  }
  const upToDate = new Map<ServerName, string>();
  const zero = templates.get(0);
  if (zero !== undefined) {
    list.push({
      name: 'no-op fetch',
      goal: FETCH,
      async prepare(server, repo) {
        let client = upToDate.get(server);
        if (client === undefined) {
          client = scratch(`${server}-up-to-date.git`);
          await copyClient(zero, client, repo.url);
          upToDate.set(server, client);
        }
        return { args: [...repo.gitConfig, 'fetch', '--quiet', 'origin'], cwd: client };
      },
    });
  }
  for (const behind of [1, 100]) {
    const template = templates.get(behind);
    if (template === undefined) continue;
    list.push({
      name: `fetch ${behind} new commit${behind === 1 ? '' : 's'}`,
      goal: FETCH,
      async prepare(server, repo, round) {
        const client = scratch(`${server}-behind-${behind}-${round}.git`);
        await copyClient(template, client, repo.url);
        return {
          args: [...repo.gitConfig, 'fetch', '--quiet', 'origin'],
          cwd: client,
          check: async () => {
            const tip = (await runGit(['rev-parse', `refs/remotes/origin/${corpus.head.slice('refs/heads/'.length)}`], { cwd: client })).stdout.trim();
            return tip === corpus.headOid ? undefined : `fetched ${tip}, expected ${corpus.headOid}`;
          },
          cleanup: () => rmSync(client, { recursive: true, force: true }),
        };
      },
    });
  }

  const pushed = corpus.refs.filter((ref) => /^refs\/(heads|tags|notes)\//.test(ref.name)).length;
  list.push({
    name: 'push whole corpus',
    goal: PUSH,
    async prepare(server, _repo, round) {
      const target = await ctx.servers[server].server.createRepo(`push-${round}`, corpus.head.slice('refs/heads/'.length));
      return {
        args: [...target.gitConfig, 'push', '--quiet', target.url, ...CORPUS_REFSPECS],
        cwd: corpus.gitDir,
        check: async () => {
          const refs = (await runGit([...target.gitConfig, 'ls-remote', target.url, 'refs/*'])).stdout.split('\n').filter((l) => l !== '' && !l.endsWith('^{}'));
          return refs.length === pushed ? undefined : `the server has ${refs.length} refs after the push, expected ${pushed}`;
        },
      };
    },
  });

  if (zero !== undefined) {
    const pusher = scratch('pusher.git');
    await copyClient(zero, pusher, 'http://127.0.0.1:9/unset.git');
    const commits: string[] = [];
    list.push({
      name: 'push 1 commit',
      goal: PUSH,
      async prepare(_server, repo, round) {
        while (commits.length <= round) commits.push(await newCommit(corpus, pusher, commits.at(-1) ?? corpus.headOid, commits.length));
        return { args: [...repo.gitConfig, 'push', '--quiet', repo.url, `${commits[round]}:${corpus.head}`], cwd: pusher };
      },
    });
  }
  return list;
}

/** A commit on top of `parent` changing one line of a file the last commit touched (a thin-pack delta). */
async function newCommit(corpus: Corpus, repo: string, parent: string, n: number): Promise<string> {
  const changed = (await runGit(['diff-tree', '--no-commit-id', '--name-only', '-r', corpus.headOid], { cwd: repo })).stdout.split('\n')[0];
  const path = changed !== undefined && changed !== '' ? changed : 'BENCH.txt';
  const blob = await runGit(['cat-file', 'blob', `${parent}:${path}`], { cwd: repo, check: false });
  const content = `${blob.code === 0 ? blob.stdout : ''}// bench push ${n}\n`;
  const bytes = Buffer.byteLength(content);
  const ref = `refs/bench/push-${n}`;
  const message = `Bench push ${n}\n`;
  const stream = `commit ${ref}\ncommitter Grove Bench <bench@grove.invalid> ${1_700_000_000 + n} +0000\ndata ${message.length}\n${message}from ${parent}\nM 100644 inline ${path}\ndata ${bytes}\n${content}\ndone\n`;
  await runGit(['fast-import', '--quiet', '--done'], { cwd: repo, input: stream });
  return (await runGit(['rev-parse', ref], { cwd: repo })).stdout.trim();
}

async function runScenario(ctx: BenchContext, scenario: Scenario): Promise<Record<ServerName, Series<Sample>>> {
  const series: Record<ServerName, Series<Sample>> = { grove: { samples: [] }, cgit: { samples: [] } };
  for (const name of ORDER) {
    const { repo, setupError } = ctx.servers[name];
    if (repo === undefined) series[name].failure = setupError ?? 'no repository';
  }
  for (let round = 0; round < ctx.rounds; round++) {
    for (const name of ORDER) {
      const { server, repo } = ctx.servers[name];
      const s = series[name];
      if (s.failure !== undefined || repo === undefined) continue;
      let step: Step | undefined;
      try {
        if (scenario.fresh === true) await ctx.bumpRefs(name);
        step = await scenario.prepare(name, repo, round);
        const { args, cwd } = step;
        const cost = await measureServer(server, () => runGit(args, { cwd, check: false }));
        const run = cost.result;
        const failure = run.code !== 0 ? `git exited ${run.code}: ${run.stderr.trim().split('\n').at(-1) ?? ''}` : round === 0 ? await step.check?.(run) : undefined;
        if (failure !== undefined) s.failure = failure;
        else s.samples.push({ ms: run.ms, cpuMs: cost.cpuMs });
      } catch (err) {
        s.failure = messageOf(err);
      } finally {
        step?.cleanup?.();
      }
    }
  }
  return series;
}

export async function runB2(ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const scenario of await scenarios(ctx)) {
    ctx.log(`B2 ${scenario.name}…`);
    const series = await runScenario(ctx, scenario);
    const unsupported = scenario.feature !== undefined;
    const base = { group: 'B2' as const, scenario: scenario.name };
    rows.push(
      { ...base, metric: 'wall', unit: 'ms', grove: cellOf(series.grove, (s) => s.ms, unsupported), cgit: cellOf(series.cgit, (s) => s.ms, false), goal: scenario.goal },
      { ...base, metric: 'server CPU', unit: 'ms', grove: cellOf(series.grove, (s) => s.cpuMs, unsupported), cgit: cellOf(series.cgit, (s) => s.cpuMs, false) },
    );
  }
  return rows;
}

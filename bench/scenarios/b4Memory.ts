/**
 * B4 — memory under big transfers (BENCHMARKS.md): peak RSS of the server
 * while (b) receiving a push of the whole corpus into an empty repository and
 * (a) serving a full `git clone` of it, each with a fresh server process —
 * Grove's VmHWM (its whole Node process), next to C Git's wrapper plus git
 * children (sampled peak of the process tree) for reference.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Corpus } from '../corpus/ensureCorpus.ts';
import { runGit } from '../gitCli.ts';
import { measureServer } from '../measure/measureServer.ts';
import type { Cell, Row } from '../report/Row.ts';
import { CORPUS_REFSPECS, type BenchServer, type ServerName } from '../servers/BenchServer.ts';
import { startCGitServer } from '../servers/startCGitServer.ts';
import { startGroveServer } from '../servers/startGroveServer.ts';
import { messageOf } from './BenchContext.ts';

const GOAL_BYTES = 256 * 1024 * 1024;
const REPO = 'b4';

interface Measured {
  peakRss: number;
  startRss: number;
  ms: number;
}

type Outcome = Measured | { error: string };

export interface B4Options {
  corpus: Corpus;
  workDir: string;
  groveNodeArgs?: string[];
  /** Whether C Git may use its reachability bitmap. */
  bitmaps: boolean;
  log(line: string): void;
}

export async function runB4(options: B4Options): Promise<Row[]> {
  const { corpus, log } = options;
  const dir = join(options.workDir, 'b4');
  mkdirSync(dir, { recursive: true });
  const groveData = join(dir, 'grove-data');
  const cgitRoot = join(dir, 'cgit');
  const tokens = new Map<string, string>();
  const head = corpus.head.slice('refs/heads/'.length);

  const startGrove = () => startGroveServer(groveData, { tokens, ...(options.groveNodeArgs === undefined ? {} : { nodeArgs: options.groveNodeArgs }) });
  const push = async (name: ServerName, start: () => Promise<BenchServer>): Promise<Outcome> => {
    log(`B4 push of ${corpus.label} into ${name}…`);
    return withServer(start, async (server) => {
      const repo = await server.createRepo(REPO, head);
      return measureGit(server, [...repo.gitConfig, 'push', '--quiet', repo.url, ...CORPUS_REFSPECS], corpus.gitDir);
    });
  };
  const clone = async (name: ServerName, start: () => Promise<BenchServer>): Promise<Outcome> => {
    log(`B4 clone of ${corpus.label} from ${name}…`);
    const target = join(dir, `${name}-clone`);
    try {
      return await withServer(start, (server) => {
        const repo = server.existingRepo(REPO);
        return measureGit(server, [...repo.gitConfig, 'clone', '--quiet', '--no-checkout', repo.url, target], dir);
      });
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  };

  const grovePush = await push('grove', startGrove);
  const cgitPush = await push('cgit', () => startCGitServer(cgitRoot, { bitmaps: options.bitmaps }));
  const groveClone = 'error' in grovePush
    ? { error: `no repository to clone: ${grovePush.error}` }
    : await clone('grove', startGrove);
  const cgitClone = 'error' in cgitPush
    ? { error: `no repository to clone: ${cgitPush.error}` }
    : await clone('cgit', () => startCGitServer(cgitRoot, { bitmaps: options.bitmaps }));

  const cell = (outcome: Outcome, pick: (m: Measured) => number): Cell => ('error' in outcome ? { error: outcome.error } : { value: pick(outcome), samples: [pick(outcome)] });
  const rows: Row[] = [];
  for (const [scenario, grove, cgit] of [
    [`serve clone (${corpus.objects} objects)`, groveClone, cgitClone],
    [`receive push (${corpus.objects} objects)`, grovePush, cgitPush],
  ] as const) {
    rows.push(
      { group: 'B4', scenario, metric: 'peak RSS', unit: 'bytes', grove: cell(grove, (m) => m.peakRss), cgit: cell(cgit, (m) => m.peakRss), goal: { kind: 'absolute', max: GOAL_BYTES } },
      { group: 'B4', scenario, metric: 'RSS before', unit: 'bytes', grove: cell(grove, (m) => m.startRss), cgit: cell(cgit, (m) => m.startRss) },
      { group: 'B4', scenario, metric: 'wall', unit: 'ms', grove: cell(grove, (m) => m.ms), cgit: cell(cgit, (m) => m.ms) },
    );
  }
  return rows;
}

async function withServer(start: () => Promise<BenchServer>, use: (server: BenchServer) => Promise<Outcome>): Promise<Outcome> {
  let server: BenchServer | undefined;
  try {
    server = await start();
    return await use(server);
  } catch (err) {
    return { error: messageOf(err) };
  } finally {
    await server?.stop();
  }
}

async function measureGit(server: BenchServer, args: string[], cwd: string): Promise<Outcome> {
  const cost = await measureServer(server, () => runGit(args, { cwd, check: false }));
  const run = cost.result;
  if (run.code !== 0) return { error: `git exited ${run.code}: ${run.stderr.trim().split('\n').at(-1) ?? ''}` };
  return { peakRss: cost.peakRss, startRss: cost.startRss, ms: run.ms };
}

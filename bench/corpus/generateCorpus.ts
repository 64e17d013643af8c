/**
 * The corpus generator: a seeded, deterministic history written through
 * `git fast-import` into a bare repository. It has what BENCHMARKS.md asks
 * for: a long linear `main` edited a few lines at a time (so packs hold long
 * delta chains), topic branches merged back, release branches with commits of
 * their own, file and directory renames, deletions, lightweight and annotated
 * tags, notes (`refs/notes/commits`), binary files patched in place, files over
 * 8 MiB (random and text, one of them rewritten), deep folders (up to ten
 * levels) and one wide folder. Same seed and profile, same object ids.
 *
 * A file past 400 lines because the history is one state machine (the class
 * CorpusHistory) that reads best whole; its parts
 * (random source, text, fast-import stream) are in sibling files.
 */
import type { CorpusProfile } from './corpusProfiles.ts';
import { FastImportWriter } from './FastImportWriter.ts';
import { Random } from './Random.ts';
import { editSource, sourceFile, sourceLine } from './sourceText.ts';

type Mode = '100644' | '100755' | '120000';

interface TrackedFile {
  path: string;
  mode: Mode;
  /** Text files: their lines; binary files: undefined. */
  lines?: string[];
  bytes?: Uint8Array;
}

type Op = { kind: 'M'; path: string; mode: Mode; data: string | Uint8Array } | { kind: 'D'; path: string } | { kind: 'R'; from: string; to: string };

const AUTHORS = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Ken Thompson', 'Frances Allen', 'Donald Knuth'];
const DIR_WORDS = ['core', 'util', 'net', 'store', 'api', 'model', 'view', 'io', 'proto', 'cache', 'auth', 'jobs', 'index', 'pack', 'walk', 'http'];
const FILE_WORDS = ['reader', 'writer', 'parser', 'codec', 'client', 'server', 'queue', 'table', 'router', 'worker', 'buffer', 'state'];
const VERBS = ['Fix', 'Refactor', 'Speed up', 'Simplify', 'Document', 'Handle', 'Rename', 'Test', 'Tidy', 'Guard'];
const START_TIME = 1_500_000_000;
const MIB = 1024 * 1024;

function contentOf(file: TrackedFile): string | Uint8Array {
  if (file.lines !== undefined) return `${file.lines.join('\n')}\n`;
  return file.bytes ?? new Uint8Array(0);
}

function depthOf(dir: string): number {
  return dir.split('/').length;
}

export class CorpusHistory {
  readonly #rng: Random;
  readonly #profile: CorpusProfile;
  readonly #out: FastImportWriter;
  readonly #files = new Map<string, TrackedFile>();
  #dirs: string[] = ['src', 'lib', 'test', 'docs', 'tools'];
  #hot: TrackedFile[] = [];
  #hotGroups: TrackedFile[][] = [];
  readonly #locked = new Set<TrackedFile>();
  #time = START_TIME;
  #mainMark = 0;
  #counter = 0;
  #notes: [number, string][] = [];
  #tags = 0;
  #builds = 0;
  #releases = 0;
  /** Big-file events, by the commit index on `main` from which each is due (in order). */
  readonly #bigEvents: { at: number; ops: () => Op[] }[] = [];

  constructor(profile: CorpusProfile, seed: number, out: FastImportWriter) {
    this.#profile = profile;
    this.#rng = new Random(seed);
    this.#out = out;
  }

  async write(): Promise<void> {
    const { commits, tailCommits, tagEvery, buildEvery, releaseEvery } = this.#profile;
    const around = (mean: number): number => this.#rng.int(Math.ceil(mean / 2), Math.ceil((mean * 3) / 2));
    const tailStart = commits - tailCommits;
    this.#planBigFiles(tailStart);
    await this.#initialCommit();
    let n = 1;
    let nextEpisode = this.#rng.int(12, 35);
    let nextTag = around(tagEvery);
    let nextBuild = around(buildEvery);
    let nextRelease = around(releaseEvery);
    while (n < commits) {
      const inTail = n >= tailStart;
      if (!inTail && n >= nextEpisode && n + 12 < tailStart) {
        n += await this.#topicEpisode();
        nextEpisode = n + this.#rng.int(12, 35);
        continue;
      }
      const due = this.#bigEvents[0] !== undefined && this.#bigEvents[0].at <= n ? this.#bigEvents.shift() : undefined;
      await this.#mainCommit(inTail, due?.ops() ?? []);
      n++;
      if (inTail) continue;
      if (this.#rng.chance(0.1)) this.#notes.push([this.#mainMark, `reviewed-by: ${this.#rng.pick(AUTHORS)}\nrun: ${this.#rng.int(1, 1e6)}\n`]);
      if (this.#notes.length >= 25) await this.#flushNotes();
      if (n >= nextTag) {
        await this.#annotatedTag(`v0.${++this.#tags}.0`, this.#mainMark);
        nextTag = n + around(tagEvery);
      }
      if (n >= nextBuild) {
        await this.#out.write(`reset refs/tags/build-${++this.#builds}\nfrom :${this.#mainMark}\n\n`);
        nextBuild = n + around(buildEvery);
      }
      if (n >= nextRelease) {
        await this.#releaseBranch();
        nextRelease = n + around(releaseEvery);
      }
    }
    await this.#flushNotes();
  }

  // --- the first commit -----------------------------------------------------

  async #initialCommit(): Promise<void> {
    const rng = this.#rng;
    const { directories, initialFiles, wideFiles, binaries } = this.#profile;
    while (this.#dirs.length < directories) {
      // One new folder in eight goes under the newest one: chains up to ten levels deep.
      const deep = rng.chance(0.12) ? this.#dirs[this.#dirs.length - 1]! : rng.pick(this.#dirs.slice(0, Math.max(5, this.#dirs.length >> 1)));
      const parent = depthOf(deep) >= 10 ? rng.pick(this.#dirs.slice(0, 5)) : deep;
      this.#dirs.push(`${parent}/${rng.pick(DIR_WORDS)}${this.#dirs.length}`);
    }
    // And one chain twelve folders deep.
    let chain = 'src/generated';
    for (let level = 1; level <= 12; level++) {
      chain += `/level${level}`;
      this.#dirs.push(chain);
    }
    for (let i = 0; i < initialFiles; i++) this.#addTextFile(rng.int(12, 160));
    for (let i = 0; i < wideFiles; i++) {
      this.#track({ path: `vendor/wide/module-${i}.js`, mode: '100644', lines: sourceFile(rng, rng.int(3, 30)) });
    }
    for (let i = 0; i < binaries; i++) {
      this.#track({ path: `assets/image-${i}.bin`, mode: '100644', bytes: rng.bytes(rng.int(4, 120) * 1024) });
    }
    for (let i = 0; i < 3; i++) {
      this.#track({ path: `tools/script-${i}.sh`, mode: '100755', lines: ['#!/bin/sh', 'set -eu', ...sourceFile(rng, 20)] });
    }
    this.#track({ path: 'docs/latest', mode: '120000', lines: undefined, bytes: new TextEncoder().encode('../src') });
    // Work clusters: most commits edit a few files of one of these folders.
    const byDir = new Map<string, TrackedFile[]>();
    for (const file of this.#files.values()) {
      const dir = file.path.slice(0, file.path.lastIndexOf('/'));
      if (file.lines === undefined || file.mode !== '100644' || dir.startsWith('vendor') || depthOf(dir) > 4) continue;
      byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
    }
    const clusters = [...byDir.values()].filter((files) => files.length >= 3);
    for (let i = Math.max(3, Math.floor(initialFiles / 150)); i > 0 && clusters.length > 0; i--) {
      this.#hotGroups.push(clusters.splice(rng.int(0, clusters.length - 1), 1)[0]!);
    }
    this.#hot = this.#hotGroups.flat();
    const ops: Op[] = [...this.#files.values()].map((f) => ({ kind: 'M', path: f.path, mode: f.mode, data: contentOf(f) }));
    await this.#commit('refs/heads/main', 'Initial import\n', ops);
  }

  #track(file: TrackedFile): TrackedFile {
    this.#files.set(file.path, file);
    return file;
  }

  #addTextFile(lines: number, dir = this.#rng.pick(this.#dirs)): TrackedFile {
    const ext = dir.startsWith('docs') ? 'md' : this.#rng.chance(0.1) ? 'json' : 'ts';
    const path = `${dir}/${this.#rng.pick(FILE_WORDS)}-${this.#counter++}.${ext}`;
    return this.#track({ path, mode: '100644', lines: sourceFile(this.#rng, lines) });
  }

  // --- commits on main ------------------------------------------------------

  async #mainCommit(plainOnly: boolean, extra: Op[]): Promise<void> {
    const rng = this.#rng;
    const ops: Op[] = [...extra];
    const structural = !plainOnly && this.#locked.size === 0;
    const r = rng.float();
    if (structural && r < 0.03) {
      const file = this.#addTextFile(rng.int(10, 120));
      ops.push(this.#put(file));
    } else if (structural && r < 0.04) {
      const file = this.#unlockedText();
      if (file !== undefined && this.#files.size > this.#profile.initialFiles / 2) {
        this.#files.delete(file.path);
        ops.push({ kind: 'D', path: file.path });
      }
    } else if (structural && r < 0.055) {
      ops.push(...this.#renameFile());
    } else if (structural && r < 0.057) {
      ops.push(...this.#renameDir());
    } else if (!plainOnly && r < 0.075) {
      ops.push(...this.#patchBinary());
    }
    if (ops.length === 0 || rng.chance(0.5)) {
      const edited = new Set<TrackedFile>();
      const group = rng.chance(0.8) && this.#hotGroups.length > 0 ? rng.pick(this.#hotGroups) : undefined;
      for (let i = rng.int(1, 4); i > 0; i--) {
        const file = group !== undefined ? rng.pick(group) : this.#unlockedText();
        if (file?.lines === undefined) continue;
        editSource(rng, file.lines, 4);
        edited.add(file);
      }
      for (const file of edited) ops.push(this.#put(file));
    }
    this.#mainMark = await this.#commit('refs/heads/main', this.#message(ops), ops);
  }

  #put(file: TrackedFile): Op {
    return { kind: 'M', path: file.path, mode: file.mode, data: contentOf(file) };
  }

  /** A text file neither hot, nor locked by a topic branch, nor in the wide folder. */
  #unlockedText(): TrackedFile | undefined {
    const all = [...this.#files.values()];
    for (let tries = 0; tries < 20; tries++) {
      const file = this.#rng.pick(all);
      if (file.lines !== undefined && file.mode === '100644' && !this.#locked.has(file) && !this.#hot.includes(file) && !file.path.startsWith('vendor/')) return file;
    }
    return undefined;
  }

  #renameFile(): Op[] {
    const file = this.#unlockedText();
    if (file === undefined) return [];
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const to = this.#rng.chance(0.5) ? `${this.#rng.pick(this.#dirs)}/${name}` : `${file.path.slice(0, file.path.lastIndexOf('/'))}/${this.#rng.pick(FILE_WORDS)}-${this.#counter++}.ts`;
    if (this.#files.has(to)) return [];
    this.#files.delete(file.path);
    const from = file.path;
    file.path = to;
    this.#track(file);
    const ops: Op[] = [{ kind: 'R', from, to }];
    // Half the renames come with an edit, as when a module moves and its imports change.
    if (this.#rng.chance(0.5) && file.lines !== undefined) {
      editSource(this.#rng, file.lines, 2);
      ops.push(this.#put(file));
    }
    return ops;
  }

  #renameDir(): Op[] {
    const candidates = this.#dirs.filter((d) => depthOf(d) >= 2 && !d.startsWith('vendor'));
    if (candidates.length === 0) return [];
    const from = this.#rng.pick(candidates);
    const prefix = `${from}/`;
    const moved = [...this.#files.values()].filter((f) => f.path.startsWith(prefix));
    if (moved.length === 0) return [];
    const to = `${from.slice(0, from.lastIndexOf('/'))}/${this.#rng.pick(DIR_WORDS)}${this.#counter++}`;
    for (const file of moved) {
      this.#files.delete(file.path);
      file.path = to + file.path.slice(from.length);
    }
    for (const file of moved) this.#track(file);
    this.#dirs = this.#dirs.map((d) => (d === from || d.startsWith(prefix) ? to + d.slice(from.length) : d));
    return [{ kind: 'R', from, to }];
  }

  #patchBinary(): Op[] {
    const binaries = [...this.#files.values()].filter((f) => f.path.startsWith('assets/'));
    if (binaries.length === 0) return [];
    const file = this.#rng.pick(binaries);
    const old = file.bytes ?? new Uint8Array(0);
    const grow = this.#rng.chance(0.3) ? this.#rng.int(1, 8) * 1024 : 0;
    const bytes = new Uint8Array(old.length + grow);
    bytes.set(old);
    if (grow > 0) bytes.set(this.#rng.bytes(grow), old.length);
    for (let i = 0; i < 3 && old.length > 512; i++) {
      const length = this.#rng.int(16, 256);
      bytes.set(this.#rng.bytes(length), this.#rng.int(0, old.length - length));
    }
    file.bytes = bytes;
    return [this.#put(file)];
  }

  #message(ops: Op[]): string {
    const first = ops[0];
    const path = first === undefined ? 'tree' : first.kind === 'R' ? first.to : first.path;
    const subject = `${this.#rng.pick(VERBS)} ${this.#rng.pick(FILE_WORDS)} in ${path.slice(path.lastIndexOf('/') + 1)}`;
    const body = this.#rng.chance(0.4) ? `\n\n${sourceLine(this.#rng).trim()}\n${sourceLine(this.#rng).trim()}\n` : '\n';
    return subject + body;
  }

  // --- branches, merges, tags, notes ----------------------------------------

  /** A topic branch of 2–6 commits on a few files that `main` leaves alone meanwhile, merged back. */
  async #topicEpisode(): Promise<number> {
    const rng = this.#rng;
    const dir = rng.pick(this.#dirs);
    const inDir = [...this.#files.values()].filter((f) => f.path.startsWith(`${dir}/`) && f.lines !== undefined && !this.#hot.includes(f));
    for (const file of inDir.slice(0, 4)) this.#locked.add(file);
    if (this.#locked.size === 0) this.#locked.add(this.#addTextFile(rng.int(10, 60), dir));
    await this.#out.write(`reset refs/heads/topic\nfrom :${this.#mainMark}\n\n`);
    const touched = new Set<TrackedFile>();
    let sideSteps = rng.int(2, 6);
    let mainSteps = rng.int(1, 4);
    let sideMark = this.#mainMark;
    const mainCount = mainSteps + 1;
    while (sideSteps + mainSteps > 0) {
      if (sideSteps > 0 && (mainSteps === 0 || rng.chance(0.5))) {
        sideSteps--;
        const edited: TrackedFile[] = [];
        if (rng.chance(0.15)) {
          const added = this.#addTextFile(rng.int(10, 60), dir);
          this.#locked.add(added);
          edited.push(added);
        } else {
          const file = rng.pick([...this.#locked]);
          if (file.lines !== undefined) editSource(rng, file.lines, 3);
          edited.push(file);
        }
        for (const file of edited) touched.add(file);
        const ops = edited.map((f) => this.#put(f));
        sideMark = await this.#commit('refs/heads/topic', this.#message(ops), ops);
      } else {
        mainSteps--;
        await this.#mainCommit(false, []);
      }
    }
    const merge = [...touched].map((f) => this.#put(f));
    this.#mainMark = await this.#commit('refs/heads/main', "Merge branch 'topic'\n", merge, sideMark);
    this.#locked.clear();
    return mainCount;
  }

  /** `release/<n>` at the tip of main, with one or two fixes of its own and an annotated tag. */
  async #releaseBranch(): Promise<void> {
    if (this.#hot.length === 0) return;
    const n = ++this.#releases;
    const ref = `refs/heads/release/${n}`;
    await this.#out.write(`reset ${ref}\nfrom :${this.#mainMark}\n\n`);
    let mark = this.#mainMark;
    for (let i = this.#rng.int(1, 2); i > 0; i--) {
      const file = this.#rng.pick(this.#hot);
      const lines = [...(file.lines ?? [])];
      editSource(this.#rng, lines, 2);
      mark = await this.#commit(ref, `Backport fix to release ${n}\n`, [{ kind: 'M', path: file.path, mode: file.mode, data: `${lines.join('\n')}\n` }]);
    }
    await this.#annotatedTag(`v0.${this.#tags}.${n}`, mark);
  }

  async #annotatedTag(name: string, mark: number): Promise<void> {
    await this.#out.write(`tag ${name}\nfrom :${mark}\ntagger ${this.#who()} ${this.#tick()} +0000\n`);
    await this.#out.data(`Release ${name}\n\n${sourceLine(this.#rng).trim()}\n`);
  }

  async #flushNotes(): Promise<void> {
    if (this.#notes.length === 0) return;
    const time = this.#tick();
    await this.#out.write(`commit refs/notes/commits\ncommitter ${this.#who()} ${time} +0000\n`);
    await this.#out.data('Notes added by the review bot\n');
    for (const [mark, text] of this.#notes) {
      await this.#out.write(`N inline :${mark}\n`);
      await this.#out.data(text);
    }
    await this.#out.write('\n');
    this.#notes = [];
  }

  // --- files over 8 MiB -----------------------------------------------------

  /** Spreads the big files over the history before the tail: text ones are rewritten once later. */
  #planBigFiles(tailStart: number): void {
    for (let b = 0; b < this.#profile.bigFiles; b++) {
      const at = Math.max(2, Math.floor(tailStart * (0.2 + (0.6 * b) / this.#profile.bigFiles)));
      const path = `data/big-${b}.${b % 2 === 0 ? 'csv' : 'bin'}`;
      if (b % 2 === 1) {
        this.#bigEvents.push({ at, ops: () => [this.#put(this.#track({ path, mode: '100644', bytes: this.#rng.bytes(9 * MIB + b * MIB) }))] });
        continue;
      }
      let file: TrackedFile | undefined;
      this.#bigEvents.push({
        at,
        ops: () => {
          file = this.#track({ path, mode: '100644', lines: this.#csvLines(8.5 * MIB + b * MIB) });
          return [this.#put(file)];
        },
      });
      const rewrite = at + Math.max(3, Math.floor(tailStart * 0.1));
      if (rewrite < tailStart) {
        this.#bigEvents.push({
          at: rewrite,
          ops: () => {
            if (file?.lines === undefined) return [];
            for (let i = 0; i < 20; i++) file.lines[this.#rng.int(0, file.lines.length - 1)] = this.#csvLine();
            file.lines.push(...this.#csvLines(256 * 1024));
            return [this.#put(file)];
          },
        });
      }
    }
    this.#bigEvents.sort((a, b) => a.at - b.at);
  }

  #csvLines(bytes: number): string[] {
    const lines: string[] = [];
    for (let size = 0; size < bytes; ) {
      const line = this.#csvLine();
      lines.push(line);
      size += line.length + 1;
    }
    return lines;
  }

  #csvLine(): string {
    const rng = this.#rng;
    return `${START_TIME + rng.int(0, 1e8)},${rng.pick(FILE_WORDS)},${rng.pick(DIR_WORDS)},${rng.int(0, 99999)},${(rng.float() * 1000).toFixed(3)}`;
  }

  // --- the stream -----------------------------------------------------------

  #tick(): number {
    this.#time += this.#rng.int(60, 5400);
    return this.#time;
  }

  #who(): string {
    const name = this.#rng.pick(AUTHORS);
    return `${name} <${name.toLowerCase().replace(/ /g, '.')}@example.org>`;
  }

  async #commit(ref: string, message: string, ops: Op[], merge?: number): Promise<number> {
    const out = this.#out;
    const mark = out.mark();
    const who = this.#who();
    const time = this.#tick();
    await out.write(`commit ${ref}\nmark :${mark}\nauthor ${who} ${time} +0000\ncommitter ${who} ${time} +0000\n`);
    await out.data(message);
    if (merge !== undefined) await out.write(`merge :${merge}\n`);
    for (const op of ops) {
      if (op.kind === 'M') {
        await out.write(`M ${op.mode} inline ${op.path}\n`);
        await out.data(op.data);
      } else if (op.kind === 'D') {
        await out.write(`D ${op.path}\n`);
      } else {
        await out.write(`R ${op.from} ${op.to}\n`);
      }
    }
    await out.write('\n');
    return mark;
  }
}

/** Writes the whole history into the bare repository `repoDir` (HEAD → refs/heads/main). */
export async function generateCorpus(repoDir: string, profile: CorpusProfile, seed: number, env: Record<string, string>): Promise<void> {
  const out = new FastImportWriter(repoDir, env);
  try {
    await new CorpusHistory(profile, seed, out).write();
  } finally {
    await out.finish();
  }
}

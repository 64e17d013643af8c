/**
 * B5's scenarios (BENCHMARKS.md; the work of Cloudflare Workspace's
 * `fs-bench.sh`, research/workspace.md §4), as bash run in a fresh folder of
 * each target: `prep` untimed, `run` timed. `anchor` is Workspace's published
 * ratio of its FUSE daemon to ext4 for the same scenario.
 */
export interface FsScenario {
  name: string;
  run: string;
  prep?: string;
  /** Workspace's ratio mount / ext4 (their docs/19_performance.md). */
  anchor: number;
  /** A 64 MiB scenario: goal ≤ 3× the local disk as well. */
  big: boolean;
}

const TINY = 'for i in $(seq 1 1000); do echo $i > f$i; done';
const TREE = 'for a in $(seq 1 10); do for b in $(seq 1 10); do mkdir -p $a/$b; for c in $(seq 1 10); do touch $a/$b/$c; done; done; done';
const WRITE = 'dd if=/dev/zero of=big bs=1M count=64 status=none';

/** The scenarios; `npmInstall` is the script of the npm one (it names a local tarball). */
export function fsScenarios(npmInstall: string): FsScenario[] {
  return [
    { name: 'create 1000 files', run: TINY, anchor: 1.85, big: false },
    { name: 'stat 1000 files', run: `${TINY}\nfor i in $(seq 1 1000); do stat f$i; done`, anchor: 0.91, big: false },
    { name: 'rm 1000 files', run: `${TINY}\nrm f*`, anchor: 0.66, big: false },
    { name: 'mkdir tree (10x10x10)', run: TREE, anchor: 0.74, big: false },
    { name: 'find tree', run: `${TREE}\nfind . -type f | wc -l`, anchor: 0.72, big: false },
    { name: 'write 64 MiB', run: WRITE, anchor: 16.93, big: true },
    { name: 'copy 64 MiB', run: `${WRITE}\ncp big big2`, anchor: 40.46, big: true },
    { name: 'read 64 MiB', run: `${WRITE}\ncat big > /dev/null`, anchor: 39.72, big: true },
    { name: 'pure read 64 MiB', prep: WRITE, run: 'cat big > /dev/null', anchor: 30.26, big: true },
    { name: 'pure copy 64 MiB', prep: WRITE, run: 'cp big big2', anchor: 41.47, big: true },
    { name: 'overwrite 64 MiB', prep: WRITE, run: `${WRITE} conv=notrunc`, anchor: 43.35, big: true },
    {
      name: 'git init + commit 100 files',
      run: 'git init -q\nfor i in $(seq 1 100); do echo $i > f$i; done\ngit add -A\ngit -c user.email=a@b -c user.name=a commit -qm init',
      anchor: 0.72, big: false,
    },
    { name: 'npm init + tiny install', run: npmInstall, anchor: 0.95, big: false },
  ];
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../../test/support/collect.ts';
import { gitBytes } from '../../../test/support/gitBytes.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { readPackets } from '../../../test/support/pktLines.ts';
import { loadGitRepository, openRepository, type OpenedRepository } from '../../../test/support/storeRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import type { Ref } from '../ports.ts';
import { writeRefAdvertisement, type RefAdvertisementOptions } from './writeRefAdvertisement.ts';

const work = useTempDir('grove-advertisement-');
const src = join(work, 'src.git');
const empty = join(work, 'empty.git');
let opened: OpenedRepository;
let refs: Ref[];

const CAPS = ['multi_ack_detailed', 'side-band-64k', 'object-format=sha1', 'agent=grove/test'];

beforeAll(async () => {
  await makeRepo(src, { commits: 160 });
  opened = openRepository();
  await loadGitRepository(opened, src);
  refs = await opened.repo.listRefs();
  gitBytes(['init', '-q', '--bare', '-b', 'main', empty]);
});

afterAll(() => {
  opened.close();
});

/** `git <service> --advertise-refs --stateless-rpc` (what http-backend sends after its service header). */
function gitAdvertisement(service: 'upload-pack' | 'receive-pack', dir: string, protocol?: string): string[] {
  const out = gitBytes([service, '--advertise-refs', '--stateless-rpc', dir], protocol === undefined ? {} : { env: { GIT_PROTOCOL: protocol } });
  return withoutCapabilities(readPackets(out).packets);
}

/** The packets with the capability list after NUL dropped (servers differ there). */
function withoutCapabilities(packets: string[]): string[] {
  return packets.map((p) => (p.includes('\0') ? `${p.slice(0, p.indexOf('\0'))}\0<capabilities>\n` : p));
}

/** The bytes after the pkt-line that carries the capabilities (the first with a NUL). */
function afterCapabilities(data: Uint8Array): Uint8Array {
  for (let at = 0; at < data.length; ) {
    const length = parseInt(new TextDecoder().decode(data.subarray(at, at + 4)), 16);
    const end = at + Math.max(4, length);
    if (data.subarray(at, end).includes(0)) return data.subarray(end);
    at = end;
  }
  throw new Error('no capabilities line');
}

async function grove(options: Omit<RefAdvertisementOptions, 'capabilities'>): Promise<{ header: string[]; packets: string[]; capabilities: string[] }> {
  const { packets } = readPackets(await collect(writeRefAdvertisement({ ...options, capabilities: CAPS })));
  const withCaps = packets.find((p) => p.includes('\0'));
  return {
    header: packets.slice(0, 2),
    packets: withoutCapabilities(packets.slice(2)),
    capabilities: withCaps === undefined ? [] : withCaps.slice(withCaps.indexOf('\0') + 1, -1).split(' '),
  };
}

const uploadPack = { service: 'git-upload-pack', advertiseWhenEmpty: false, includeHeadAndPeeled: true } as const;
const receivePack = { service: 'git-receive-pack', advertiseWhenEmpty: true, includeHeadAndPeeled: false } as const;

describe('writeRefAdvertisement', () => {
  it('advertises the refs of upload-pack as git does: HEAD first, every ref in order, peeled tags', async () => {
    const ours = await grove({ ...uploadPack, refs });
    expect(ours.header).toEqual(['# service=git-upload-pack\n', 'flush']);
    const theirs = gitAdvertisement('upload-pack', src);
    expect(theirs.filter((p) => p.includes('^{}')).length).toBeGreaterThan(3);
    expect(ours.packets).toEqual(theirs);
    expect(ours.capabilities).toEqual(CAPS);
    // Byte-exact after the line with the capabilities.
    const bytes = await collect(writeRefAdvertisement({ ...uploadPack, refs, capabilities: CAPS }));
    const git = gitBytes(['upload-pack', '--advertise-refs', '--stateless-rpc', src]);
    expect(Buffer.compare(afterCapabilities(bytes), afterCapabilities(git))).toBe(0);
  });

  it('starts with "version 1" when asked, as git does for GIT_PROTOCOL=version=1', async () => {
    const ours = await grove({ ...uploadPack, refs, version1: true });
    expect(ours.packets).toEqual(gitAdvertisement('upload-pack', src, 'version=1'));
    expect(ours.packets[0]).toBe('version 1\n');
  });

  it('advertises nothing but a flush for an empty repository (upload-pack)', async () => {
    const unborn = openRepository();
    const ours = await grove({ ...uploadPack, refs: await unborn.repo.listRefs() });
    expect(ours.packets).toEqual(gitAdvertisement('upload-pack', empty));
    expect(ours.packets).toEqual(['flush']);
    unborn.close();
  });

  it('advertises capabilities^{} for an empty repository (receive-pack)', async () => {
    const unborn = openRepository();
    const ours = await grove({ ...receivePack, refs: await unborn.repo.listRefs() });
    expect(ours.header).toEqual(['# service=git-receive-pack\n', 'flush']);
    expect(ours.packets).toEqual(gitAdvertisement('receive-pack', empty));
    expect(ours.packets[0]).toBe(`${'0'.repeat(40)} capabilities^{}\0<capabilities>\n`);
    unborn.close();
  });

  it('leaves out an unborn HEAD and puts the capabilities on the first ref', async () => {
    const dir = join(work, 'unborn-head.git');
    gitBytes(['clone', '-q', '--bare', src, dir]);
    gitBytes(['symbolic-ref', 'HEAD', 'refs/heads/nothing-yet'], { cwd: dir });
    const withUnbornHead = refs.map((r) => (r.name === 'HEAD' ? { name: 'HEAD', oid: null, target: 'refs/heads/nothing-yet' } : r));
    const ours = await grove({ ...uploadPack, refs: withUnbornHead });
    expect(ours.packets).toEqual(gitAdvertisement('upload-pack', dir));
    expect(ours.packets[0]).toMatch(/^[0-9a-f]{40} refs\/heads\/feature\/alpha\0/);
  });

  it('advertises the refs of receive-pack as git does: no HEAD, no peeled lines', async () => {
    const ours = await grove({ ...receivePack, refs });
    expect(ours.packets).toEqual(gitAdvertisement('receive-pack', src));
  });

  it('lists the shallow commits of a shallow repository after the refs, as git does', async () => {
    const dir = join(work, 'shallow.git');
    gitBytes(['clone', '-q', '--bare', '--depth', '3', '--no-single-branch', `file://${src}`, dir]);
    const shallow = readFileSync(join(dir, 'shallow'), 'utf8').split('\n').filter((l) => l !== '').sort();
    // The clone has every ref of src, at the same commits.
    const ours = await grove({ ...uploadPack, refs, shallow });
    const theirs = gitAdvertisement('upload-pack', dir);
    expect(theirs.filter((p) => p.startsWith('shallow ')).length).toBeGreaterThan(3);
    expect(ours.packets).toEqual(theirs);
  });

});

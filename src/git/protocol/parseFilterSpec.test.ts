import { beforeAll, describe, expect, it } from 'vitest';
import { gitRun } from '../../../test/support/gitBytes.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { isGroveError } from '../../errors.ts';
import { parseFilterSpec, parseUnsigned } from './parseFilterSpec.ts';

const work = useTempDir('grove-filter-spec-');

beforeAll(() => {
  gitRun(['init', '-q', work]);
  gitRun(['commit', '-q', '--allow-empty', '-m', 'x'], { cwd: work });
});

/** git's own verdict: `git rev-list --filter=<spec>` accepts the spec, or prints why not. */
function gitVerdict(spec: string): string {
  const result = gitRun(['rev-list', '--objects', `--filter=${spec}`, 'HEAD'], { cwd: work });
  return result.status === 0 ? 'ok' : result.stderr.trim().replace(/^fatal: /, '');
}

function refusal(spec: string): string {
  try {
    parseFilterSpec(spec);
  } catch (err) {
    expect(isGroveError(err) && err.code).toBe('PROTOCOL_ERROR');
    return (err as Error).message;
  }
  return 'ok';
}

describe('parseFilterSpec', () => {
  const served: [string, unknown][] = [
    ['blob:none', { kind: 'blob:none' }],
    ['blob:limit=0', { kind: 'blob:limit', bytes: 0 }],
    ['blob:limit=1000', { kind: 'blob:limit', bytes: 1000 }],
    ['blob:limit=1k', { kind: 'blob:limit', bytes: 1024 }],
    ['blob:limit=1K', { kind: 'blob:limit', bytes: 1024 }],
    ['blob:limit=3m', { kind: 'blob:limit', bytes: 3 * 1024 * 1024 }],
    ['blob:limit=2G', { kind: 'blob:limit', bytes: 2 * 1024 ** 3 }],
    ['blob:limit=0x10', { kind: 'blob:limit', bytes: 16 }],
    ['blob:limit=010', { kind: 'blob:limit', bytes: 8 }],
    ['blob:limit= +5', { kind: 'blob:limit', bytes: 5 }],
    ['tree:0', { kind: 'tree', depth: 0 }],
    ['tree:3', { kind: 'tree', depth: 3 }],
    ['tree:1k', { kind: 'tree', depth: 1024 }],
    ['combine:blob:none+blob:limit=2k', { kind: 'combine', filters: [{ kind: 'blob:none' }, { kind: 'blob:limit', bytes: 2048 }] }],
    ['combine:blob%3Alimit%3D7', { kind: 'combine', filters: [{ kind: 'blob:limit', bytes: 7 }] }],
  ];
  for (const [spec, filter] of served) {
    it(`reads ${spec} as git does`, () => {
      expect(gitVerdict(spec)).toBe('ok');
      expect(parseFilterSpec(spec)).toEqual(filter);
    });
  }

  const invalid = [
    'nope', 'blob:limit=', 'blob:limit=-5', 'blob:limit=08', 'blob:limit=1kb', 'blob:limit=1 k',
    'blob:limit=18446744073709551616', 'blob:limit=17179869184g', 'tree:x', 'tree:', 'combine:', 'combine:blob:none+',
    'combine:blob:none+nope', 'combine:blob:limit=1(', 'sparse:path=x',
  ];
  for (const spec of invalid) {
    it(`refuses ${JSON.stringify(spec)} with git's message`, () => {
      const theirs = gitVerdict(spec);
      expect(theirs).not.toBe('ok');
      expect(refusal(spec)).toBe(theirs);
    });
  }

  it('refuses, by name, the filters git knows and Grove does not serve', () => {
    const blob = '0123456789abcdef0123456789abcdef01234567';
    for (const spec of [`sparse:oid=${blob}`, 'object:type=blob', 'combine:blob:none+tree:1', 'combine:tree:0', `combine:blob:none+sparse%3Aoid%3D${blob}`]) {
      expect(refusal(spec)).toBe(`filter '${spec}' not supported`);
    }
  });

  it('reads unsigned numbers as git_parse_ulong: any base, k/m/g factors, nothing negative or too large', () => {
    expect(parseUnsigned('0')).toBe(0);
    expect(parseUnsigned('0xfF')).toBe(255);
    expect(parseUnsigned('0777')).toBe(511);
    expect(parseUnsigned('18446744073709551615')).toBe(Number(0xffff_ffff_ffff_ffffn));
    expect(parseUnsigned('16777216g')).toBe(2 ** 54);
    expect(parseUnsigned('17179869184g')).toBeNull();
    for (const bad of ['', '-1', 'k', '1x', '0x', '1.5', '1e3']) expect(parseUnsigned(bad)).toBeNull();
  });
});

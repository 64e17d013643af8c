import { describe, expect, it } from 'vitest';
import { withDraft } from '../../../../test/drafts/support/draftFixture.ts';
import { compareNames, walkTree } from './walkTree.ts';

const FILES = { 'b/x': '1', 'b/y/z': '2', 'b-c': '3', 'é': '4', 'z': '5', 'ｚ': '6', '😀': '7' };

async function paths(gen: AsyncGenerator<{ path: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of gen) out.push(e.path);
  return out;
}

describe('walkTree', () => {
  it('walks depth first, names in UTF-8 byte order, a folder right before its contents', async () => {
    await withDraft(FILES, async (files) => {
      expect(await paths(walkTree(files, []))).toEqual(['b', 'b/x', 'b/y', 'b/y/z', 'b-c', 'z', 'é', 'ｚ', '😀']);
      expect(await paths(walkTree(files, ['b']))).toEqual(['b/x', 'b/y', 'b/y/z']);
    });
  });

  it('skips the folders descend refuses, and resumes after a path', async () => {
    await withDraft(FILES, async (files) => {
      expect(await paths(walkTree(files, [], { descend: (d) => d.path !== 'b/y' }))).toEqual(['b', 'b/x', 'b/y', 'b-c', 'z', 'é', 'ｚ', '😀']);
      expect(await paths(walkTree(files, [], { after: ['b', 'x'] }))).toEqual(['b/y', 'b/y/z', 'b-c', 'z', 'é', 'ｚ', '😀']);
      expect(await paths(walkTree(files, [], { after: ['b'] }))).toEqual(['b/x', 'b/y', 'b/y/z', 'b-c', 'z', 'é', 'ｚ', '😀']);
      expect(await paths(walkTree(files, [], { after: ['b', 'gone', 'deeper'] }))).toEqual(['b/x', 'b/y', 'b/y/z', 'b-c', 'z', 'é', 'ｚ', '😀']); // a cursor whose path went away
      expect(await paths(walkTree(files, [], { after: ['ｚ'] }))).toEqual(['😀']);
    });
  });

  it('compares names by their UTF-8 bytes, not by UTF-16 units', () => {
    expect(compareNames('ｚ', '😀')).toBeLessThan(0); // U+FF5A before U+1F600, though '😀' < 'ｚ' in UTF-16
    expect('😀' < 'ｚ').toBe(true);
    expect(compareNames('a', 'a-b')).toBeLessThan(0);
    expect(compareNames('x', 'x')).toBe(0);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitRun } from '../../../test/support/gitBytes.ts';
import { seededRandom } from '../../../test/support/seededRandom.ts';
import { tempDir } from '../../../test/support/tempDir.ts';
import { mergeText, mergeTextWithMarkers } from './mergeText.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const scratch = tempDir('grove-merge-text-');
afterAll(() => scratch.remove());

/** What `git merge-file -p ours base theirs` says: the merged text, or null when it reports conflicts. */
function gitMerge(base: string, ours: string, theirs: string): string | null {
  const [b, o, t] = ['base', 'ours', 'theirs'].map((name) => join(scratch.dir, name)) as [string, string, string];
  writeFileSync(b, base);
  writeFileSync(o, ours);
  writeFileSync(t, theirs);
  const result = gitRun(['merge-file', '-p', o, b, t]);
  if (result.status < 0 || result.status > 127) throw new Error(`git merge-file failed: ${result.stderr}`);
  return result.status === 0 ? decoder.decode(result.stdout) : null;
}

/** `git merge-file -p -L ours -L base -L theirs`, conflicts included. */
function gitMergeMarked(base: string, ours: string, theirs: string): string {
  const [b, o, t] = ['base', 'ours', 'theirs'].map((name) => join(scratch.dir, name)) as [string, string, string];
  writeFileSync(b, base);
  writeFileSync(o, ours);
  writeFileSync(t, theirs);
  return decoder.decode(gitRun(['merge-file', '-p', '-L', 'ours', '-L', 'base', '-L', 'theirs', o, b, t]).stdout);
}

function ours(base: string, o: string, t: string): string | null {
  const merged = mergeText(encoder.encode(base), encoder.encode(o), encoder.encode(t));
  return merged === null ? null : decoder.decode(merged);
}

/** `text` with a few lines replaced, deleted or inserted (from a small alphabet, so lines repeat). */
function mutate(text: string[], random: () => number): string[] {
  const out = [...text];
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const roll = random();
    const line = `${'abcdefg'[Math.floor(random() * 7)]}\n`;
    if (roll < 0.35 && at < out.length) out[at] = line;
    else if (roll < 0.6 && at < out.length) out.splice(at, 1 + Math.floor(random() * 2));
    else out.splice(at, 0, line, ...(random() < 0.3 ? [line] : []));
  }
  if (random() < 0.1 && out.length > 0) out[out.length - 1] = out[out.length - 1]!.replace(/\n$/, '');
  return out;
}

describe('mergeText', () => {
  const cases: [string, string, string, string][] = [
    ['changes far apart merge', 'a\nb\nc\nd\ne\n', 'A\nb\nc\nd\ne\n', 'a\nb\nc\nd\nE\n'],
    ['the same change on both sides', 'a\nb\nc\n', 'a\nB\nc\n', 'a\nB\nc\n'],
    ['the same line changed differently', 'a\nb\nc\n', 'a\nX\nc\n', 'a\nY\nc\n'],
    ['adjacent lines changed on each side', 'a\nb\nc\nd\n', 'a\nB\nc\nd\n', 'a\nb\nC\nd\n'],
    ['one unchanged line between the changes', 'a\nb\nc\nd\ne\n', 'a\nB\nc\nd\ne\n', 'a\nb\nc\nD\ne\n'],
    ['insertions at the same place', 'a\nb\n', 'a\nx\nb\n', 'a\ny\nb\n'],
    ['identical insertions at the same place', 'a\nb\n', 'a\nx\nb\n', 'a\nx\nb\n'],
    ['one side unchanged', 'a\nb\n', 'a\nb\n', 'q\nr\ns\n'],
    ['no final newline on one side', 'a\nb\nc\n', 'a\nb\nc', 'A\nb\nc\n'],
    ['empty base', '', 'a\n', 'a\n'],
    ['everything deleted on one side, edited on the other', 'a\nb\n', '', 'a\nB\n'],
  ];
  it.each(cases)('%s: as git merge-file', (_, base, o, t) => {
    expect(ours(base, o, t)).toBe(gitMerge(base, o, t));
  });

  it('decides 400 random three-way merges as git merge-file does, and gives the same text', () => {
    const random = seededRandom(2024);
    let clean = 0;
    for (let n = 0; n < 400; n++) {
      const base = Array.from({ length: 3 + Math.floor(random() * 12) }, () => `${'abcdefg'[Math.floor(random() * 7)]}\n`);
      const o = mutate(base, random).join('');
      const t = mutate(base, random).join('');
      const expected = gitMerge(base.join(''), o, t);
      expect(ours(base.join(''), o, t), `base ${JSON.stringify(base.join(''))} ours ${JSON.stringify(o)} theirs ${JSON.stringify(t)}`).toBe(expected);
      if (expected !== null) clean++;
    }
    expect(clean).toBeGreaterThan(50); // both outcomes are exercised
    expect(clean).toBeLessThan(350);
  });

  it.each([
    ['a\nb\nc\n', 'a\nX\nc\n', 'a\nY\nc\n'],
    ['a\nb\n', 'a\nx\nb\n', 'a\ny\nb\n'],
    ['a\nb\nc\nd\ne\nf\n', 'a\nB\nc\nd\ne\nF\n', 'a\nBB\nc\nd\ne\nf\n'],
    ['a\nb', 'a\nX', 'a\nY'],
  ])('writes conflict markers as git merge-file does (%j)', (base, o, t) => {
    const { merged, conflicts } = mergeTextWithMarkers(encoder.encode(base), encoder.encode(o), encoder.encode(t), { ours: 'ours', theirs: 'theirs' });
    expect(decoder.decode(merged)).toBe(gitMergeMarked(base, o, t));
    expect(conflicts).toBe(1);
  });
});

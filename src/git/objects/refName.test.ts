import { describe, expect, it } from 'vitest';
import { gitRun } from '../../../test/support/gitBytes.ts';
import { isValidRefName } from './refName.ts';

/** What `git check-ref-format <name>` says (exit 0: valid). */
function gitAccepts(name: string): boolean {
  const result = gitRun(['check-ref-format', name]);
  if (result.status !== 0 && result.status !== 1) throw new Error(`git check-ref-format ${name}: ${result.stderr}`);
  return result.status === 0;
}

const NAMES = [
  // valid
  'refs/heads/main',
  'refs/heads/feature/x',
  'refs/tags/v1.0.0',
  'refs/heads/a.b',
  'refs/heads/a.b/c',
  'refs/heads/with-dash_under',
  'refs/heads/@',
  'refs/heads/a@b',
  'refs/heads/@x',
  'refs/heads/x@',
  'refs/heads/{x}',
  'refs/heads/a{b',
  'refs/heads/é',
  'refs/heads/日本語',
  'refs/heads/😀',
  'refs/heads/foo./bar',
  'refs/heads/lock',
  'refs/heads/x.lockx',
  'refs/heads/x.lock.y',
  'refs/notes/commits',
  'refs/pull/1/head',
  'HEAD/x',
  'a/b',
  'refs/heads/"quoted"',
  'refs/heads/semi;colon',
  'refs/heads/per%cent',
  'refs/heads/#hash',
  'refs/heads/-dash',
  // invalid
  '',
  '@',
  'HEAD',
  'main',
  'refs',
  'refs/',
  '/refs/heads/x',
  'refs/heads/',
  'refs//heads',
  'refs/heads//x',
  'refs/heads/.hidden',
  'refs/heads/x/.y',
  'refs/heads/x.lock',
  'refs/heads/x.lock/y',
  'refs/heads/.lock',
  'refs/heads/a..b',
  'refs/heads/..',
  'refs/heads/.',
  'refs/heads/x.',
  'refs/heads/x/.',
  'refs/heads/a b',
  'refs/heads/a\tb',
  'refs/heads/a~1',
  'refs/heads/a^',
  'refs/heads/a:b',
  'refs/heads/a?',
  'refs/heads/a*',
  'refs/heads/*',
  'refs/heads/a[b',
  'refs/heads/a\\b',
  'refs/heads/a@{1}',
  'refs/heads/@{',
  'refs/heads/a\x01b',
  'refs/heads/a\x1fb',
  'refs/heads/a\x7fb',
  'refs/heads/x/',
];

describe('isValidRefName agrees with git check-ref-format', () => {
  it('has a table with both outcomes', () => {
    const valid = NAMES.filter((name) => isValidRefName(name));
    expect(valid.length).toBeGreaterThan(20);
    expect(NAMES.length - valid.length).toBeGreaterThan(30);
  });

  it.each(NAMES.map((name) => [JSON.stringify(name), name]))('%s', (_, name) => {
    expect(isValidRefName(name)).toBe(gitAccepts(name));
  });
});

describe('isValidRefName on strings git cannot be given', () => {
  it('refuses NUL and lone surrogates, which have no place in a ref', () => {
    expect(isValidRefName('refs/heads/a\0b')).toBe(false);
    expect(isValidRefName('refs/heads/a\ud800')).toBe(false);
    expect(isValidRefName('refs/heads/\udc00b')).toBe(false);
  });
});

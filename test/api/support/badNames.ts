/**
 * Names docs/API.md refuses for namespaces and repositories ("match
 * [A-Za-z0-9][A-Za-z0-9._-]{1,62} and do not end in .git or .lock"), each
 * with why, and names at the edges of what it accepts.
 */
export const BAD_NAMES: readonly [string, string][] = [
  ['..', 'dot-dot'],
  ['a/b', 'a slash'],
  ['a\0b', 'a NUL'],
  ['x', 'one character'],
  ['a'.repeat(64), '64 characters'],
  ['a'.repeat(300), '300 characters'],
  ['foo.git', 'ending in .git'],
  ['foo.lock', 'ending in .lock'],
  ['caf\u00e9', 'non-ASCII (é)'],
  ['\u0430\u0431', 'Cyrillic look-alikes'],
  ['', 'empty'],
  ['-ab', 'a leading dash'],
  ['.ab', 'a leading dot'],
  ['_ab', 'a leading underscore'],
  ['a b', 'a space'],
  ['a\nb', 'a newline'],
  ['a%2Fb', 'a percent sign'],
];

export const GOOD_NAMES: readonly string[] = ['ab', 'A9', `a${'b'.repeat(62)}`, 'a.b_c-d', '9-lives', 'x.gitx', 'git', 'a..b'];

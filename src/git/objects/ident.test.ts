import { describe, expect, it } from 'vitest';
import { gitText } from '../../../test/support/gitBytes.ts';
import { thrownCode } from '../../../test/support/thrown.ts';
import { formatIdent, parseIdent, type Ident } from './ident.ts';

/** The ident git itself would write for this author (`git var GIT_AUTHOR_IDENT`). */
function gitIdent(name: string, email: string, date: string): string {
  return gitText(['var', 'GIT_AUTHOR_IDENT'], { env: { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: `@${date}` } });
}

describe('parseIdent and formatIdent against git var', () => {
  const samples: [string, string, string, Ident][] = [
    ['A U Thor', 'author@example.com', '1700000000 +0000', { name: 'A U Thor', email: 'author@example.com', timestamp: 1700000000, timezone: '+0000' }],
    ['Zoë Ünïcødé 日本', 'zoe@例え.jp', '1234567890 -0430', { name: 'Zoë Ünïcødé 日本', email: 'zoe@例え.jp', timestamp: 1234567890, timezone: '-0430' }],
    ['x', 'x', '0 +1400', { name: 'x', email: 'x', timestamp: 0, timezone: '+1400' }],
    ['Big Time', 'b@t', '99999999999 +0100', { name: 'Big Time', email: 'b@t', timestamp: 99999999999, timezone: '+0100' }],
  ];

  it.each(samples)('%s <%s> %s', (name, email, date, expected) => {
    const text = gitIdent(name, email, date);
    expect(parseIdent(text)).toEqual(expected);
    expect(formatIdent(expected)).toBe(text);
  });
});

describe('parseIdent', () => {
  it('keeps an empty name and an empty email', () => {
    expect(parseIdent(' <> 5 +0000')).toEqual({ name: '', email: '', timestamp: 5, timezone: '+0000' });
    expect(formatIdent({ name: '', email: '', timestamp: 5, timezone: '+0000' })).toBe(' <> 5 +0000');
  });

  it('reads an odd time zone that old repositories contain', () => {
    expect(parseIdent('A <a@b> 5 +05300')).toMatchObject({ timezone: '+05300' });
  });

  it.each(['no email 5 +0000', 'A <a@b 5 +0000', 'A <a@b>5 +0000', 'A <a@b> x +0000', 'A <a@b> 5', 'A <a@b> 5 +0000 extra'])(
    'refuses %j with BAD_OBJECT',
    (text) => {
      expect(thrownCode(() => parseIdent(text))).toBe('BAD_OBJECT');
    },
  );
});

describe('formatIdent', () => {
  const good: Ident = { name: 'A', email: 'a@b', timestamp: 1, timezone: '+0000' };
  it.each([
    ['"<" in name', { ...good, name: 'A <x>' }],
    ['LF in name', { ...good, name: 'A\nB' }],
    ['">" in email', { ...good, email: 'a>b' }],
    ['NUL in email', { ...good, email: 'a\0b' }],
    ['negative timestamp', { ...good, timestamp: -1 }],
    ['fractional timestamp', { ...good, timestamp: 1.5 }],
    ['timestamp past 2^63', { ...good, timestamp: 2 ** 64 }],
    ['named time zone', { ...good, timezone: 'UTC' }],
    ['short time zone', { ...good, timezone: '+100' }],
  ])('refuses an ident with %s (git fsck would)', (_, ident) => {
    expect(thrownCode(() => formatIdent(ident))).toBe('BAD_OBJECT');
  });

  it('writes large timestamps in full, not in exponent notation', () => {
    expect(formatIdent({ ...good, timestamp: 2 ** 62 })).toBe('A <a@b> 4611686018427387904 +0000');
  });
});

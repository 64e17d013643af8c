import { describe, expect, it } from 'vitest';
import { presentedToken } from './credentials.ts';

const TOKEN = `grove_${'0123456789abcdef'}_${'ab'.repeat(32)}`;
/** What curl (and so git) sends for Basic auth: base64 of the UTF-8 bytes of "user:password". */
const basic = (userAndPassword: string): string => `Basic ${Buffer.from(userAndPassword, 'utf8').toString('base64')}`;

describe('presentedToken', () => {
  it('takes the token of a Bearer header, whatever the scheme\'s case and the spaces around', () => {
    expect(presentedToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(presentedToken(`bearer ${TOKEN}`)).toBe(TOKEN);
    expect(presentedToken(`BEARER   ${TOKEN}  `)).toBe(TOKEN);
    expect(presentedToken(`  Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(presentedToken(`token ${TOKEN}`)).toBe(TOKEN);
  });

  it('takes the password of Basic auth, whatever the user name', () => {
    expect(presentedToken(basic(`x-access-token:${TOKEN}`))).toBe(TOKEN);
    expect(presentedToken(basic(`alice:${TOKEN}`))).toBe(TOKEN);
    expect(presentedToken(basic(`:${TOKEN}`))).toBe(TOKEN);
    expect(presentedToken(`basic ${Buffer.from(`git:${TOKEN}`).toString('base64')}`)).toBe(TOKEN);
    // Only the first colon separates the user from the password.
    expect(presentedToken(basic('user:pass:word'))).toBe('pass:word');
    // UTF-8 is decoded as UTF-8.
    expect(presentedToken(basic('user:pässwörd'))).toBe('pässwörd');
  });

  it('takes the user name of Basic auth when the password is empty or absent (a token given as the user)', () => {
    expect(presentedToken(basic(`${TOKEN}:`))).toBe(TOKEN);
    expect(presentedToken(basic(TOKEN))).toBe(TOKEN);
  });

  it('gives null for no header, an empty credential, an unknown scheme or garbage', () => {
    expect(presentedToken(undefined)).toBeNull();
    expect(presentedToken('')).toBeNull();
    expect(presentedToken('Bearer')).toBeNull();
    expect(presentedToken('Bearer    ')).toBeNull();
    expect(presentedToken(TOKEN)).toBeNull();
    expect(presentedToken(`Digest ${TOKEN}`)).toBeNull();
    expect(presentedToken(`Bearer_${TOKEN}`)).toBeNull();
    expect(presentedToken(basic(':'))).toBeNull();
    expect(presentedToken(basic(''))).toBeNull();
    expect(presentedToken('Basic')).toBeNull();
    // Not base64 at all: atob refuses it.
    expect(presentedToken('Basic %%%not*base64%%%')).toBeNull();
    expect(presentedToken('Basic a')).toBeNull();
  });
});

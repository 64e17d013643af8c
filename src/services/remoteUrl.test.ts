import { describe, expect, it } from 'vitest';
import { isGroveError } from '../errors.ts';
import { lookupHost } from '../runtime/node/lookupHost.ts';
import { checkRemoteUrl, nonPublic, parseIp } from './remoteUrl.ts';

/** A resolver answering from a table (names the table lacks do not resolve). */
function table(entries: Record<string, string[]>): (host: string) => Promise<string[]> {
  return async (host) => {
    const found = entries[host];
    if (found === undefined) throw new Error(`no such host ${host}`);
    return found;
  };
}

const lookup = table({
  'git.example.com': ['140.82.121.3'],
  'dual.example.com': ['140.82.121.3', '2606:50c0:8000::153'],
  'inside.example.com': ['10.1.2.3'],
  'sneaky.example.com': ['140.82.121.3', '127.0.0.1'],
  'mapped.example.com': ['::ffff:192.168.1.1'],
  'nothing.example.com': [],
});

async function codeOf(url: string, allowPrivate = false): Promise<string> {
  try {
    await checkRemoteUrl(url, { allowPrivate, lookup });
    return 'allowed';
  } catch (err) {
    if (!isGroveError(err)) throw err;
    return err.code;
  }
}

describe('checkRemoteUrl', () => {
  it.each([
    'http://127.0.0.1/r.git',
    'http://127.1.2.3:8080/r.git',
    'http://2130706433/r.git', // 127.0.0.1 written as one number: URL parsing normalises it
    'http://0x7f.1/r.git',
    'http://[::1]/r.git',
    'http://10.0.0.5/r.git',
    'http://172.16.0.1/r.git',
    'http://172.31.255.254/r.git',
    'http://192.168.1.10/r.git',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/r.git',
    'http://0.0.0.0/r.git',
    'http://[::]/r.git',
    'http://[::ffff:127.0.0.1]/r.git',
    'http://[::ffff:10.0.0.1]/r.git',
    'http://[fc00::1]/r.git',
    'http://[fd12:3456::1]/r.git',
    'http://[fe80::1]/r.git',
    'http://[64:ff9b::a00:1]/r.git', // NAT64 of 10.0.0.1
    'http://[2002:c0a8:101::1]/r.git', // 6to4 of 192.168.1.1
    'http://224.0.0.1/r.git',
    'http://255.255.255.255/r.git',
    'https://inside.example.com/r.git',
    'https://sneaky.example.com/r.git', // one address of several is enough to refuse
    'https://mapped.example.com/r.git',
  ])('refuses %s (non-public address); allows it with allowPrivate', async (url) => {
    expect(await codeOf(url)).toBe('REMOTE_NOT_ALLOWED');
    expect(await codeOf(url, true)).toBe('allowed');
  });

  it.each([
    'https://git.example.com/owner/repo.git',
    'https://dual.example.com/owner/repo.git',
    'http://140.82.121.3/owner/repo.git',
    'http://172.32.0.1/r.git', // just past 172.16/12
    'http://100.128.0.1/r.git', // just past 100.64/10
    'http://[2606:50c0:8000::153]/r.git',
    'http://[::ffff:8.8.8.8]/r.git',
  ])('allows %s (public address)', async (url) => {
    expect(await codeOf(url)).toBe('allowed');
  });

  it.each(['file:///etc/passwd', 'ssh://git@github.com/o/r.git', 'git://github.com/o/r.git', 'ftp://example.com/r.git'])(
    'refuses %s whatever allowPrivate (only http and https)',
    async (url) => {
      expect(await codeOf(url)).toBe('REMOTE_NOT_ALLOWED');
      expect(await codeOf(url, true)).toBe('REMOTE_NOT_ALLOWED');
    },
  );

  it('refuses credentials in the URL whatever allowPrivate, and says to use headers without echoing them', async () => {
    for (const allowPrivate of [false, true]) {
      const err = await checkRemoteUrl('https://user:s3cret@git.example.com/o/r.git', { allowPrivate, lookup }).catch((e: unknown) => e);
      expect(isGroveError(err) && err.code).toBe('REMOTE_NOT_ALLOWED');
      expect((err as Error).message).toContain('headers');
      expect(JSON.stringify(err)).not.toContain('s3cret');
      expect(await codeOf('https://token@git.example.com/o/r.git', allowPrivate)).toBe('REMOTE_NOT_ALLOWED');
    }
  });

  it('returns the parsed URL, and fails clearly for names that do not resolve and for non-URLs', async () => {
    expect((await checkRemoteUrl('https://git.example.com/o/r.git', { allowPrivate: false, lookup })).href).toBe('https://git.example.com/o/r.git');
    expect(await codeOf('https://unknown.example.com/r.git')).toBe('REMOTE_ERROR');
    expect(await codeOf('https://nothing.example.com/r.git')).toBe('REMOTE_ERROR');
    expect(await codeOf('not a url')).toBe('BAD_REQUEST');
  });

  it('refuses localhost through the Node resolver', async () => {
    const err = await checkRemoteUrl('http://localhost:8080/r.git', { allowPrivate: false, lookup: lookupHost }).catch((e: unknown) => e);
    expect(isGroveError(err) && err.code).toBe('REMOTE_NOT_ALLOWED');
    expect((err as Error).message).toMatch(/localhost \((127\.0\.0\.1|::1)\) is a loopback address/);
  });
});

describe('parseIp and nonPublic', () => {
  it('reads IPv4 and IPv6 forms, and nothing else', () => {
    expect([...parseIp('192.168.0.1')!]).toEqual([192, 168, 0, 1]);
    expect([...parseIp('::ffff:1.2.3.4')!].slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect([...parseIp('2001:db8::1')!]).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIp('fe80::1%eth0')?.[0]).toBe(0xfe);
    for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', 'example.com', '']) expect(parseIp(bad)).toBeUndefined();
  });

  it('names why an address is not public', () => {
    expect(nonPublic('127.0.0.1')).toBe('loopback');
    expect(nonPublic('::1')).toBe('loopback');
    expect(nonPublic('::ffff:169.254.1.1')).toBe('link-local');
    expect(nonPublic('fd00::1')).toBe('private (unique local)');
    expect(nonPublic('8.8.8.8')).toBeUndefined();
    expect(nonPublic('what')).toBe('unrecognised');
  });
});

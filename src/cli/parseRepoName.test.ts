import { describe, expect, it } from 'vitest';
import { parseForkTarget, parseRepoName } from './parseRepoName.ts';
import { UsageError } from './UsageError.ts';

describe('parseRepoName', () => {
  it('splits <ns>/<name>', () => {
    expect(parseRepoName('team/notes')).toEqual({ namespace: 'team', name: 'notes' });
  });

  it('refuses anything but two non-empty parts', () => {
    for (const bad of ['notes', '/notes', 'team/', 'a/b/c', '']) expect(() => parseRepoName(bad), bad).toThrow(UsageError);
  });

  it('takes a bare fork name in the parent namespace', () => {
    expect(parseForkTarget('copy', 'team')).toEqual({ namespace: 'team', name: 'copy' });
    expect(parseForkTarget('other/copy', 'team')).toEqual({ namespace: 'other', name: 'copy' });
    expect(() => parseForkTarget('', 'team')).toThrow(UsageError);
  });
});

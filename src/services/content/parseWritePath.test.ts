import { describe, expect, it } from 'vitest';
import { parseWritePath } from './parseWritePath.ts';

describe('parseWritePath', () => {
  it.each([
    ['a.txt', ['a.txt']],
    ['dir/sub/file name ✓.md', ['dir', 'sub', 'file name ✓.md']],
    ['.github/workflows/ci.yml', ['.github', 'workflows', 'ci.yml']],
    ['back\\slash', ['back\\slash']],
    ['.gitignore', ['.gitignore']],
    ['x/...', ['x', '...']],
    [`${'n'.repeat(255)}/${'é'.repeat(127)}`, ['n'.repeat(255), 'é'.repeat(127)]],
  ])('accepts %j', (path, parts) => {
    expect(parseWritePath(path)).toEqual(parts);
  });

  it.each([
    ['', 'is empty'],
    ['/etc/passwd', 'relative'],
    ['dir/', 'ends with'],
    ['a//b', 'empty component'],
    ['a/./b', "'.'"],
    ['../x', "'..'"],
    ['.git', "'.git'"],
    ['x/.Git/config', "'.git'"],
    ['nul\0', 'NUL'],
    ['lone \uDC00', 'Unicode'],
    ['y'.repeat(4097), '4096 bytes'],
    [`${'é'.repeat(2049)}`, '4096 bytes'],
    [`${'n'.repeat(256)}/x`, '255 bytes'],
  ])('refuses %j', (path, why) => {
    expect(() => parseWritePath(path, 'changes[3].path')).toThrow(expect.objectContaining({
      code: 'BAD_REQUEST',
      message: expect.stringContaining(why),
      details: expect.objectContaining({ field: 'changes[3].path' }),
    }));
  });
});

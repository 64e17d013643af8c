import { describe, expect, it } from 'vitest';
import { cellText, formatFields, formatTable } from './output.ts';

describe('formatFields', () => {
  it('aligns values after the longest key', () => {
    expect(formatFields([['name', 'team/notes'], ['default_branch', 'main'], ['last_push_at', null], ['description', '']])).toBe(
      'name:           team/notes\n' +
      'default_branch: main\n' +
      'last_push_at:   -\n' +
      'description:\n',
    );
  });
});

describe('formatTable', () => {
  it('pads every column but the last, two spaces apart', () => {
    expect(formatTable(['NAME', 'READ_ONLY', 'DESCRIPTION'], [['a', true, 'first'], ['longer-name', false, '']])).toBe(
      'NAME         READ_ONLY  DESCRIPTION\n' +
      'a            yes        first\n' +
      'longer-name  no\n',
    );
  });
});

describe('cellText', () => {
  it('keeps server text on one line and drops terminal escapes', () => {
    expect(cellText('two\nlines')).toBe('two lines');
    expect(cellText('\u001b[31mred')).toBe(' [31mred');
    expect(cellText(undefined)).toBe('-');
    expect(cellText(0)).toBe('0');
  });
});

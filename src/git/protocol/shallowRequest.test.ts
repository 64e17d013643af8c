import { describe, expect, it } from 'vitest';
import { isGroveError } from '../../errors.ts';
import { deepens, emptyShallowRequest, INFINITE_DEPTH, parseCInteger, readShallowLine } from './shallowRequest.ts';

const A = '1'.repeat(40);
const B = '2'.repeat(40);

describe('readShallowLine', () => {
  it('takes the shallow and deepen lines of v0 and v2 fetch requests', () => {
    const request = emptyShallowRequest();
    expect(deepens(request)).toBe(false);
    for (const line of [`shallow ${A}`, `shallow ${B}`, `shallow ${A}`, 'deepen 3', 'deepen-since 0x10', 'deepen-not v1.0', 'deepen-not refs/heads/x']) {
      expect(readShallowLine(line, request)).toBe(true);
    }
    expect(request).toEqual({ clientShallow: [A, B, A], depth: 3, relative: false, since: 16, not: ['v1.0', 'refs/heads/x'] });
    expect(deepens(request)).toBe(true);
    expect(readShallowLine(`want ${A}`, request)).toBe(false);
    expect(readShallowLine('deepen-relative', request)).toBe(false); // a v2 argument or a v0 capability, read by the caller
  });

  it('reads what `git fetch --unshallow` sends as the infinite depth', () => {
    const request = emptyShallowRequest();
    readShallowLine('deepen 2147483647', request);
    expect(request.depth).toBe(INFINITE_DEPTH);
  });

  it('refuses what upload-pack dies on, with its messages', () => {
    const cases: [string, string][] = [
      ['shallow 1234', 'invalid shallow line: shallow 1234'],
      ['deepen 0', 'Invalid deepen: deepen 0'],
      ['deepen -1', 'Invalid deepen: deepen -1'],
      ['deepen 1x', 'Invalid deepen: deepen 1x'],
      ['deepen ', 'Invalid deepen: deepen '],
      ['deepen-since yesterday', 'Invalid deepen-since: deepen-since yesterday'],
    ];
    for (const [line, message] of cases) {
      let err: unknown;
      try {
        readShallowLine(line, emptyShallowRequest());
      } catch (e) {
        err = e;
      }
      expect(isGroveError(err) && err.code, line).toBe('PROTOCOL_ERROR');
      expect((err as Error).message).toBe(message);
    }
  });
});

describe('parseCInteger', () => {
  it('reads C literals as strtol(.., 0) does, and nothing else', () => {
    expect(parseCInteger('42')).toBe(42);
    expect(parseCInteger('0x2A')).toBe(42);
    expect(parseCInteger('052')).toBe(42);
    expect(parseCInteger('0')).toBe(0);
    expect(parseCInteger(' +7')).toBe(7);
    expect(parseCInteger('-7')).toBe(-7);
    for (const bad of ['', '08', '0x', '4 2', '1.5', 'x']) expect(parseCInteger(bad)).toBeNull();
  });
});

/**
 * The tool schemas against the services they front: the same names, the
 * same limits, argument types that are the services' own (checked by tsc:
 * `npm run typecheck` compiles this file), and the same answer — accepted
 * or refused — at every boundary, the service run on a real draft.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withDraft } from '../../test/drafts/support/draftFixture.ts';
import type { EditArgs } from '../services/drafts/tools/editTool.ts';
import { GLOB_DEFAULT_LIMIT, GLOB_MAX_LIMIT, MAX_PATTERNS, type GlobArgs } from '../services/drafts/tools/globTool.ts';
import {
  GREP_DEFAULT_LIMIT, GREP_DEFAULT_MAX_FILE_BYTES, GREP_MAX_CONTEXT, GREP_MAX_FILE_BYTES, GREP_MAX_LIMIT, GREP_MAX_PATTERN_CHARS, type GrepArgs,
} from '../services/drafts/tools/grepTool.ts';
import { MAX_EDITS } from '../services/drafts/tools/editTool.ts';
import { LS_DEFAULT_LIMIT, LS_MAX_LIMIT, type LsArgs } from '../services/drafts/tools/lsTool.ts';
import type { MkdirArgs } from '../services/drafts/tools/mkdirTool.ts';
import type { MvArgs } from '../services/drafts/tools/mvTool.ts';
import { BINARY_INLINE_BYTES, READ_MAX_LINES, type ReadArgs } from '../services/drafts/tools/readTool.ts';
import type { RmArgs } from '../services/drafts/tools/rmTool.ts';
import * as services from '../services/drafts/tools/runTool.ts';
import { MAX_LINE_CHARS } from '../services/drafts/tools/sliceLines.ts';
import type { StatArgs } from '../services/drafts/tools/statTool.ts';
import type { WriteArgs } from '../services/drafts/tools/writeTool.ts';
import { READ_ONLY_TOOLS, TOOL_NAMES, type ToolName } from './toolNames.ts';
import {
  editInput, globInput, grepInput, LIMITS, lsInput, mkdirInput, mvInput, readInput, rmInput, statInput, TOOL_SCHEMAS, writeInput,
} from './toolSchemas.ts';

/** `true` only when A and B are assignable both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// A compile-time check: each line fails `tsc` when a schema's type drifts from its service's arguments.
const sameTypes: {
  read: Same<z.infer<typeof readInput>, ReadArgs>;
  write: Same<z.infer<typeof writeInput>, WriteArgs>;
  edit: Same<z.infer<typeof editInput>, EditArgs>;
  ls: Same<z.infer<typeof lsInput>, LsArgs>;
  glob: Same<z.infer<typeof globInput>, GlobArgs>;
  grep: Same<z.infer<typeof grepInput>, GrepArgs>;
  stat: Same<z.infer<typeof statInput>, StatArgs>;
  mkdir: Same<z.infer<typeof mkdirInput>, MkdirArgs>;
  rm: Same<z.infer<typeof rmInput>, RmArgs>;
  mv: Same<z.infer<typeof mvInput>, MvArgs>;
} = { read: true, write: true, edit: true, ls: true, glob: true, grep: true, stat: true, mkdir: true, rm: true, mv: true };

describe('tool schemas', () => {
  it('cover the tools the services run, with the same names', () => {
    expect(Object.values(sameTypes).every((v) => v)).toBe(true);
    expect(TOOL_NAMES).toEqual(services.TOOL_NAMES);
    expect(READ_ONLY_TOOLS).toEqual(services.READ_ONLY_TOOLS);
    expect(Object.keys(TOOL_SCHEMAS)).toEqual([...TOOL_NAMES]);
  });

  it('state the limits the services apply', () => {
    expect(LIMITS).toEqual({
      readMaxLines: READ_MAX_LINES,
      maxLineChars: MAX_LINE_CHARS,
      binaryInlineBytes: BINARY_INLINE_BYTES,
      maxEdits: MAX_EDITS,
      lsMaxLimit: LS_MAX_LIMIT,
      lsDefaultLimit: LS_DEFAULT_LIMIT,
      globMaxLimit: GLOB_MAX_LIMIT,
      globDefaultLimit: GLOB_DEFAULT_LIMIT,
      maxPatterns: MAX_PATTERNS,
      grepMaxLimit: GREP_MAX_LIMIT,
      grepDefaultLimit: GREP_DEFAULT_LIMIT,
      grepMaxContext: GREP_MAX_CONTEXT,
      grepDefaultMaxFileBytes: GREP_DEFAULT_MAX_FILE_BYTES,
      grepMaxFileBytes: GREP_MAX_FILE_BYTES,
      grepMaxPatternChars: GREP_MAX_PATTERN_CHARS,
      maxPathBytes: 4096,
    });
  });

  it('describe every tool and every argument, for an agent working unaided', () => {
    for (const name of TOOL_NAMES) {
      const { description, input } = TOOL_SCHEMAS[name];
      expect(description.length, name).toBeGreaterThan(200);
      expect(description, name).toContain('ENOENT');
      const json = z.toJSONSchema(input) as { type: string; properties: Record<string, { description?: string }>; additionalProperties: boolean };
      expect(json.type).toBe('object');
      expect(json.additionalProperties).toBe(false);
      for (const [field, schema] of Object.entries(json.properties)) expect(schema.description, `${name}.${field}`).toMatch(/\w{3,}/);
    }
  });

  const examples: [ToolName, unknown, boolean][] = [
    ['read', { path: 'src/a.ts' }, true],
    ['read', { path: 'src/a.ts', offset: 10, limit: 50 }, true],
    ['read', { file_path: 'src/a.ts' }, false],
    ['read', { path: 'a', offset: '10' }, false],
    ['write', { path: 'a.txt', content: 'x' }, true],
    ['write', { path: 'a.bin', content: 'AAE=', encoding: 'base64', executable: false }, true],
    ['write', { path: 'a.txt' }, false],
    ['write', { path: 'a.txt', content: 'x', encoding: 'hex' }, false],
    ['edit', { path: 'a', old_string: 'x', new_string: 'y' }, true],
    ['edit', { path: 'a', old_string: 'x', new_string: 'y', replace_all: true }, true],
    ['edit', { path: 'a', edits: [{ old_string: 'x', new_string: 'y' }, { old_string: 'z', new_string: '', replace_all: true }] }, true],
    ['edit', { path: 'a', old_string: 'x' }, false],
    ['edit', { path: 'a' }, false],
    ['edit', { path: 'a', edits: [{ old_string: 'x', new_string: 'y' }], old_string: 'z', new_string: 'w' }, false],
    ['edit', { path: 'a', edits: [{ old: 'x', new: 'y' }] }, false],
    ['ls', {}, true],
    ['ls', { path: 'src', recursive: true, limit: 10, cursor: 'abc' }, true],
    ['glob', { pattern: '**/*.ts', exclude: ['node_modules/**'], path: 'src', limit: 5 }, true],
    ['glob', { patterns: ['*'] }, false],
    ['grep', { pattern: 'TODO', regex: true, ignore_case: true, context: 2, include: ['*.ts'], exclude: ['dist/**'], path: '', limit: 10, max_file_bytes: 1000 }, true],
    ['grep', { pattern: 'x', context: -1 }, false],
    ['stat', { path: '/' }, true],
    ['mkdir', { path: 'a/b', parents: false }, true],
    ['rm', { path: 'a', recursive: true }, true],
    ['mv', { from: 'a', to: 'b' }, true],
    ['mv', { from: 'a' }, false],
  ];

  it.each(examples)('%s %j parses: %s', (name, args, ok) => {
    expect(TOOL_SCHEMAS[name].input.safeParse(args).success).toBe(ok);
  });

  // Arguments at the edges of each limit: the schema accepts exactly what the service accepts.
  const boundaries: [ToolName, Record<string, unknown>][] = [
    ['read', { path: 'a.txt', limit: 0 }], ['read', { path: 'a.txt', limit: 1 }], ['read', { path: 'a.txt', limit: 2000 }], ['read', { path: 'a.txt', limit: 2001 }],
    ['read', { path: 'a.txt', offset: 0 }], ['read', { path: 'a.txt', offset: 1 }], ['read', { path: 'a.txt', limit: 2.5 }],
    ['ls', { limit: 0 }], ['ls', { limit: 1000 }], ['ls', { limit: 1001 }], ['ls', { recursive: 1 }],
    ['glob', { pattern: '*', limit: 10_000 }], ['glob', { pattern: '*', limit: 10_001 }], ['glob', { pattern: '' }],
    ['glob', { pattern: '*', exclude: Array(100).fill('x') }], ['glob', { pattern: '*', exclude: Array(101).fill('x') }], ['glob', { pattern: '*', exclude: [''] }],
    ['grep', { pattern: '' }], ['grep', { pattern: 'x'.repeat(4096) }], ['grep', { pattern: 'x'.repeat(4097) }],
    ['grep', { pattern: 'x', context: 10 }], ['grep', { pattern: 'x', context: 11 }], ['grep', { pattern: 'x', limit: 1000 }], ['grep', { pattern: 'x', limit: 1001 }],
    ['grep', { pattern: 'x', max_file_bytes: 64 * 1024 * 1024 }], ['grep', { pattern: 'x', max_file_bytes: 64 * 1024 * 1024 + 1 }], ['grep', { pattern: 'x', max_file_bytes: 0 }],
    ['grep', { pattern: 'x', include: Array(101).fill('*') }],
    ['write', { path: 'w.txt', content: 'x', encoding: 'utf8' }], ['write', { path: 'w.txt', content: 'x', executable: 'yes' }], ['write', { path: '', content: 'x' }],
    ['edit', { path: 'a.txt', edits: [] }], ['edit', { path: 'a.txt', edits: Array.from({ length: 100 }, (_, i) => ({ old_string: `line ${i}\n`, new_string: `LINE ${i}\n` })) }],
    ['edit', { path: 'a.txt', edits: Array.from({ length: 101 }, (_, i) => ({ old_string: `line ${i}\n`, new_string: `LINE ${i}\n` })) }],
    ['mkdir', { path: 'm', parents: 'no' }], ['rm', { path: 'a.txt', recursive: 0 }], ['mv', { from: 'a.txt', to: '' }],
  ];

  it('accept and refuse exactly what the services accept and refuse', async () => {
    const text = Array.from({ length: 101 }, (_, i) => `line ${i}\n`).join('');
    for (const [name, args] of boundaries) {
      await withDraft({ 'a.txt': text }, async (files) => {
        const parsed = TOOL_SCHEMAS[name].input.safeParse(args).success;
        let ran = true;
        try {
          await services.runTool(files, name, args);
        } catch (err) {
          expect(err, `${name} ${JSON.stringify(args).slice(0, 80)}`).toMatchObject({ code: 'EINVAL' });
          ran = false;
        }
        expect(ran, `${name} ${JSON.stringify(args).slice(0, 80)}: schema ${parsed ? 'accepts' : 'refuses'}`).toBe(parsed);
      });
    }
  });
});

/**
 * The file tools by name, as REST (`POST …/drafts/{id}/tools/{tool}`) and
 * the MCP server call them: one dispatch from a tool name and its JSON
 * arguments (already checked against the tool's zod schema at the edge;
 * each tool still checks types and limits itself, EINVAL). Write tools need
 * a writable FileEditor: on a read-only view (a revision) they are
 * FORBIDDEN, as DraftFiles' own writes are.
 */
import { GroveError } from '../../../errors.ts';
import type { FileEditor, FileView } from '../files.ts';
import { editTool, type EditArgs, type EditResult } from './editTool.ts';
import { globTool, type GlobArgs, type GlobResult } from './globTool.ts';
import { grepTool, type GrepArgs, type GrepToolResult } from './grepTool.ts';
import { lsTool, type LsArgs, type LsResult } from './lsTool.ts';
import { mkdirTool, type MkdirArgs, type MkdirResult } from './mkdirTool.ts';
import { mvTool, type MvArgs, type MvResult } from './mvTool.ts';
import { readTool, type ReadArgs, type ReadResult } from './readTool.ts';
import { rmTool, type RmArgs, type RmResult } from './rmTool.ts';
import { statTool, type StatArgs, type StatResult } from './statTool.ts';
import { argsObject } from './toolArgs.ts';
import { writeTool, type WriteArgs, type WriteResult } from './writeTool.ts';

export const TOOL_NAMES = ['read', 'write', 'edit', 'ls', 'glob', 'grep', 'stat', 'mkdir', 'rm', 'mv'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const READ_ONLY_TOOLS = ['read', 'ls', 'glob', 'grep', 'stat'] as const satisfies readonly ToolName[];
export type ReadOnlyToolName = (typeof READ_ONLY_TOOLS)[number];

export interface ToolArgsMap {
  read: ReadArgs;
  write: WriteArgs;
  edit: EditArgs;
  ls: LsArgs;
  glob: GlobArgs;
  grep: GrepArgs;
  stat: StatArgs;
  mkdir: MkdirArgs;
  rm: RmArgs;
  mv: MvArgs;
}

export interface ToolResultMap {
  read: ReadResult;
  write: WriteResult;
  edit: EditResult;
  ls: LsResult;
  glob: GlobResult;
  grep: GrepToolResult;
  stat: StatResult;
  mkdir: MkdirResult;
  rm: RmResult;
  mv: MvResult;
}

export type ToolResult = ToolResultMap[ToolName];

export function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}

export function isReadOnlyTool(name: string): name is ReadOnlyToolName {
  return (READ_ONLY_TOOLS as readonly string[]).includes(name);
}

/** Runs tool `name` with `args`; NOT_FOUND for a name that is no tool. */
export async function runTool<N extends ToolName>(files: FileView | FileEditor, name: N, args: unknown): Promise<ToolResultMap[N]>;
export async function runTool(files: FileView | FileEditor, name: string, args: unknown): Promise<ToolResult>;
export async function runTool(files: FileView | FileEditor, name: string, args: unknown): Promise<ToolResult> {
  if (!isToolName(name)) throw new GroveError('NOT_FOUND', `no tool '${name.slice(0, 100)}': the tools are ${TOOL_NAMES.join(', ')}`, { tool: name.slice(0, 100) });
  const a = argsObject(args);
  if (isReadOnlyTool(name)) {
    switch (name) {
      case 'read': return readTool(files, a as unknown as ReadArgs);
      case 'ls': return lsTool(files, a as LsArgs);
      case 'glob': return globTool(files, a as unknown as GlobArgs);
      case 'grep': return grepTool(files, a as unknown as GrepArgs);
      case 'stat': return statTool(files, a as unknown as StatArgs);
    }
  }
  const editor = writable(files, name);
  switch (name) {
    case 'write': return writeTool(editor, a as unknown as WriteArgs);
    case 'edit': return editTool(editor, a as unknown as EditArgs);
    case 'mkdir': return mkdirTool(editor, a as unknown as MkdirArgs);
    case 'rm': return rmTool(editor, a as unknown as RmArgs);
    case 'mv': return mvTool(editor, a as unknown as MvArgs);
  }
  throw new GroveError('INTERNAL', `tool '${name}' has no dispatch`);
}

function writable(files: FileView | FileEditor, name: string): FileEditor {
  if (!files.writable || !('write' in files)) throw new GroveError('FORBIDDEN', `'${name}' changes files, and these files are read-only (a revision, or a draft opened for reading)`, { tool: name });
  return files;
}

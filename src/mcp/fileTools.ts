/**
 * The ten file tools (read, write, edit, ls, glob, grep, stat, mkdir, rm,
 * mv) as MCP tools: each one's arguments are exactly REST's
 * (`TOOL_SCHEMAS[tool].input`, src/tools/toolSchemas.ts) plus `repo` and
 * `draft`; the read-only five may instead take `ref` and no draft, to read
 * the repository at any revision. The call is REST's
 * `POST …/drafts/{id}/tools/{tool}` (or `POST …/tools/{tool}?ref=`).
 */
import { z } from 'zod';
import type { GroveClient } from '../sdk/GroveClient.ts';
import type { DraftToolArgs, ReadOnlyToolName } from '../sdk/draftTypes.ts';
import { READ_ONLY_TOOLS, TOOL_NAMES, type ToolName } from '../tools/toolNames.ts';
import { TOOL_SCHEMAS } from '../tools/toolSchemas.ts';
import type { DefineTool } from './toolRegistry.ts';
import { fileToolText } from './fileToolText.ts';
import { readResult } from './readResult.ts';
import { draftArg, repoArg, splitRepo } from './repoArg.ts';
import { invalidArgument, textResult } from './toolResult.ts';

const TITLES: Record<ToolName, string> = {
  read: 'Read a file',
  write: 'Write a file',
  edit: 'Edit a file',
  ls: 'List a folder',
  glob: 'Find files by glob',
  grep: 'Search file contents',
  stat: 'Describe a path',
  mkdir: 'Make a folder',
  rm: 'Remove a file or folder',
  mv: 'Move or rename',
};

const HINTS: Record<ToolName, { destructive?: boolean; idempotent?: boolean }> = {
  read: {}, ls: {}, glob: {}, grep: {}, stat: {},
  write: { destructive: true, idempotent: true },
  edit: { destructive: true },
  mkdir: { idempotent: true },
  rm: { destructive: true },
  mv: { destructive: true },
};

const READ_NOTE = "Here the text comes back numbered as `cat -n` prints it: the line number right-aligned in six columns, a tab, then the line (a CR before the LF is not shown). The numbers are not part of the file: leave them out of edit's old_string. The structured content is the JSON described above (content without numbers).";
const IN_DRAFT = 'Changes only the draft: nothing reaches the branch until apply_draft.';
const ON_REF = "Runs on a draft, or, without draft, read-only on the repository at ref (default its default branch).";

const inputs = new Map<ToolName, z.ZodObject>();

/** The tool's MCP input: the REST arguments (their checks kept), plus `repo` and `draft` (optional for a read-only tool, with `ref`). */
export function fileToolInput(tool: ToolName): z.ZodObject {
  let input = inputs.get(tool);
  if (input === undefined) {
    input = extend(tool, TOOL_SCHEMAS[tool].input as unknown as z.ZodObject);
    inputs.set(tool, input);
  }
  return input;
}

function extend(tool: ToolName, input: z.ZodObject): z.ZodObject {
  if (!isReadOnly(tool)) return input.safeExtend({ repo: repoArg, draft: draftArg });
  return input.safeExtend({
    repo: repoArg,
    draft: draftArg.optional().describe("The draft's id, as create_draft or list_drafts gave it. Omit it to read the repository at ref instead."),
    ref: z.string().min(1).max(1024).optional()
      .describe('Only without draft: the branch, tag or commit id to read (default: the repository\'s default branch). Not allowed with draft.'),
  });
}

export function registerFileTools(defineTool: DefineTool, client: GroveClient): void {
  for (const tool of TOOL_NAMES) {
    const readOnly = isReadOnly(tool);
    const description = [TOOL_SCHEMAS[tool].description, tool === 'read' ? READ_NOTE : '', readOnly ? ON_REF : IN_DRAFT].filter((t) => t !== '').join(' ');
    defineTool(tool, { title: TITLES[tool], description, input: fileToolInput(tool), readOnly, ...HINTS[tool] }, async (parsed) => {
      const { repo, draft, ref, ...args } = parsed as { repo: string; draft?: string; ref?: string } & Record<string, unknown>;
      const { namespace, name } = splitRepo(repo);
      const drafts = client.repo(namespace, name).drafts;
      let json: Record<string, unknown>;
      if (draft !== undefined) {
        if (ref !== undefined) throw invalidArgument('give draft or ref, not both: ref reads the repository, draft the draft', 'ref');
        json = await drafts.tool(draft, tool, args as never) as unknown as Record<string, unknown>;
      } else {
        json = await drafts.revisionTool(tool as ReadOnlyToolName, args as DraftToolArgs[ReadOnlyToolName], ref === undefined ? {} : { ref }) as unknown as Record<string, unknown>;
      }
      if (tool === 'read') return readResult(json, resourceUri(repo, draft, ref, String(args['path'] ?? '')));
      return textResult(fileToolText(tool, json), json);
    });
  }
}

function isReadOnly(tool: ToolName): tool is ReadOnlyToolName {
  return (READ_ONLY_TOOLS as readonly string[]).includes(tool);
}

/** A name for a file's bytes in an embedded resource: `grove://team/notes/drafts/<id>/a.pdf`, `grove://team/notes/refs/main/a.pdf`. */
function resourceUri(repo: string, draft: string | undefined, ref: string | undefined, path: string): string {
  const where = draft !== undefined ? `drafts/${encodeURIComponent(draft)}` : `refs/${encodeURIComponent(ref ?? 'HEAD')}`;
  const file = path.split('/').filter((p) => p !== '' && p !== '.').map(encodeURIComponent).join('/');
  return `grove://${repo}/${where}/${file}`;
}

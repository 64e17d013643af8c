/**
 * The agent file tools as an agent meets them: one description and one zod
 * schema of the JSON arguments per tool. REST validates request bodies with
 * these schemas and the MCP server lists them, so the field names, defaults
 * and limits here are exactly those the services (src/services/drafts/tools)
 * apply — a test checks both. The texts say everything an agent needs to
 * call a tool unaided: path conventions, limits, defaults, paging, errors.
 */
import { z } from 'zod';
import type { ToolName } from './toolNames.ts';

export const LIMITS = {
  readMaxLines: 2000,
  maxLineChars: 2000,
  binaryInlineBytes: 3.5 * 1024 * 1024,
  maxEdits: 100,
  lsMaxLimit: 1000,
  lsDefaultLimit: 200,
  globMaxLimit: 10_000,
  globDefaultLimit: 1000,
  maxPatterns: 100,
  grepMaxLimit: 1000,
  grepDefaultLimit: 200,
  grepMaxContext: 10,
  grepDefaultMaxFileBytes: 1024 * 1024,
  grepMaxFileBytes: 64 * 1024 * 1024,
  grepMaxPatternChars: 4096,
  maxPathBytes: 4096,
} as const;

const PATHS = "Paths are relative to the root of the draft and written with '/': 'src/a.ts', '/src/a.ts' and './src//a.ts' all name the same file; '' or '/' is the root; '..' may not climb above the root. At most 4096 bytes, 255 per component, no NUL.";
const WRITE_PATHS = `${PATHS} A path that is written cannot be the root nor have a '.git' component.`;
const ERRORS = 'Errors come back with a code: ENOENT (nothing there), EEXIST (something there already), EISDIR (a folder where a file is needed), ENOTDIR (a file where a folder is needed, also on the way: a/b when a is a file), ENOTEMPTY (a folder that is not empty), EINVAL (a bad argument; details.field names it), FORBIDDEN (outside what this token may read or write). A call that fails changes nothing.';
const MODES = "Modes are Git's, as octal strings: '100644' file, '100755' executable file, '120000' symbolic link, '40000' folder, '160000' submodule.";
const GLOBS = "Globs follow git's wildmatch: '*' matches within one path component (never '/'), '**' any number of folders ('**/*.ts': every .ts file at any depth; 'src/**': everything under src; 'a/**/b': b in a or any folder below a), '?' one character, '[abc]', '[a-z]', '[!a]' one character of (or not of) a set, '\\' escapes. A pattern must match the whole path relative to the folder searched: '*.md' matches only the top level; use '**/*.md' for every depth.";

const path = (what: string): z.ZodString => z.string().max(LIMITS.maxPathBytes).describe(`${what} ${PATHS}`);
const writePath = (what: string): z.ZodString => z.string().min(1).max(LIMITS.maxPathBytes).describe(`${what} ${WRITE_PATHS}`);
const globList = (what: string): z.ZodOptional<z.ZodArray<z.ZodString>> =>
  z.array(z.string().min(1)).max(LIMITS.maxPatterns).optional().describe(`${what} (at most ${LIMITS.maxPatterns} globs, relative to the folder searched).`);

export const readInput = z.strictObject({
  path: path('The file to read.'),
  offset: z.int().min(1).optional().describe('The first line to return, counting from 1 (default 1). To read on, pass the next_offset of the previous answer.'),
  limit: z.int().min(1).max(LIMITS.readMaxLines).optional().describe(`How many lines to return, 1 to ${LIMITS.readMaxLines} (default ${LIMITS.readMaxLines}).`),
});

export const writeInput = z.strictObject({
  path: writePath('The file to create or replace; missing parent folders are made.'),
  content: z.string().describe("The whole new content of the file: text, or base64 when encoding is 'base64'."),
  encoding: z.enum(['utf8', 'base64']).optional().describe("How content is given: 'utf8' (default, text written as UTF-8) or 'base64' (bytes, for binary files; standard alphabet, no whitespace)."),
  executable: z.boolean().optional().describe('true: mode 100755 (executable); false: 100644. Omitted: a replaced file keeps its mode, a new file is 100644.'),
});

const editItem = z.strictObject({
  old_string: z.string().describe('The text to replace, copied exactly from the file (indentation and line ends included) with enough surrounding lines to occur only once. Empty only in the first edit, to create a new file.'),
  new_string: z.string().describe('The text to put in its place (must differ from old_string).'),
  replace_all: z.boolean().optional().describe('true: replace every occurrence instead of requiring exactly one (default false).'),
});

export const editInput = z.strictObject({
  path: writePath('The text file to edit.'),
  edits: z.array(editItem).min(1).max(LIMITS.maxEdits).optional()
    .describe(`The edits, 1 to ${LIMITS.maxEdits}, applied in order, each to the text as the edits before it left it; all apply or none does. Give either edits or a single old_string/new_string.`),
  old_string: z.string().optional().describe('A single edit, instead of edits: the text to replace (see edits[].old_string).'),
  new_string: z.string().optional().describe('A single edit, instead of edits: the replacement text.'),
  replace_all: z.boolean().optional().describe('A single edit, instead of edits: replace every occurrence (default false).'),
}).superRefine((args, ctx) => {
  const single = args.old_string !== undefined || args.new_string !== undefined || args.replace_all !== undefined;
  if (args.edits !== undefined && single) ctx.addIssue({ code: 'custom', message: 'give either edits or old_string/new_string, not both', path: ['edits'] });
  if (args.edits === undefined && (args.old_string === undefined || args.new_string === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'give edits, or both old_string and new_string', path: [args.old_string === undefined ? 'old_string' : 'new_string'] });
  }
});

export const lsInput = z.strictObject({
  path: path('The folder to list (default: the root).').optional(),
  recursive: z.boolean().optional().describe('true: everything below the folder, depth first, each folder right before its contents (default false: its entries only).'),
  limit: z.int().min(1).max(LIMITS.lsMaxLimit).optional().describe(`Entries per page, 1 to ${LIMITS.lsMaxLimit} (default ${LIMITS.lsDefaultLimit}).`),
  cursor: z.string().optional().describe('The next_cursor of the previous page, to get the next one (with the same path and recursive).'),
});

export const globInput = z.strictObject({
  pattern: z.string().min(1).describe(`The glob the paths must match. ${GLOBS}`),
  exclude: globList("Globs of files to leave out; a folder an exclude glob matches ('node_modules', '**/dist') or covers ('build/**') is not searched at all"),
  path: path('The folder to search under (default: the root); patterns are relative to it, the paths returned are full paths from the root.').optional(),
  limit: z.int().min(1).max(LIMITS.globMaxLimit).optional().describe(`Paths at most, 1 to ${LIMITS.globMaxLimit} (default ${LIMITS.globDefaultLimit}).`),
});

export const grepInput = z.strictObject({
  pattern: z.string().min(1).max(LIMITS.grepMaxPatternChars)
    .describe(`What to find in each line (at most ${LIMITS.grepMaxPatternChars} characters). A literal string unless regex is true. A pattern holding newlines is several patterns, a line matching any of them matches.`),
  regex: z.boolean().optional().describe("true: pattern is a POSIX extended regular expression (as grep -E: . [a-z] [[:digit:]] ( | ) * + ? {m,n} ^ $, and \\w \\s \\b \\< \\>; no back-references, no lookaround, no \\d: use [0-9]), matched in linear time. Default false: a literal string."),
  ignore_case: z.boolean().optional().describe('true: ignore case (default false).'),
  context: z.int().min(0).max(LIMITS.grepMaxContext).optional().describe(`Lines of context to show before and after each match, 0 to ${LIMITS.grepMaxContext} (default 0). A line is shown once: before/after stop where the neighbouring match's context starts.`),
  include: globList('Globs of the files to search (any may match; default: every file)'),
  exclude: globList("Globs of files not to search; a folder an exclude glob matches ('node_modules') or covers ('build/**') is skipped"),
  path: path('The folder to search under (default: the root); include and exclude globs are relative to it.').optional(),
  limit: z.int().min(1).max(LIMITS.grepMaxLimit).optional().describe(`Matching lines at most, 1 to ${LIMITS.grepMaxLimit} (default ${LIMITS.grepDefaultLimit}); truncated is true when the search stopped there.`),
  max_file_bytes: z.int().min(1).max(LIMITS.grepMaxFileBytes).optional()
    .describe(`Files larger than this many bytes are not searched and are listed in skipped as too_large (default ${LIMITS.grepDefaultMaxFileBytes}, at most ${LIMITS.grepMaxFileBytes}).`),
});

export const statInput = z.strictObject({
  path: path('The file or folder.'),
});

export const mkdirInput = z.strictObject({
  path: writePath('The folder to make.'),
  parents: z.boolean().optional().describe('true (default): make missing parent folders too, and succeed when the folder exists (mkdir -p). false: ENOENT when the parent is missing, EEXIST when the folder exists.'),
});

export const rmInput = z.strictObject({
  path: writePath('The file or folder to remove.'),
  recursive: z.boolean().optional().describe('true: remove a folder and everything in it. Default false: a folder must be empty (ENOTEMPTY otherwise).'),
});

export const mvInput = z.strictObject({
  from: writePath('The file or folder to move.'),
  to: writePath('Its new path; missing parent folders are made.'),
});

export interface ToolSchema {
  description: string;
  input: z.ZodType;
}

export const TOOL_SCHEMAS = {
  read: {
    description: `Read a file. A text file (valid UTF-8 with no NUL byte in its first 8000 bytes) comes back as kind 'text' with its lines: content holds lines from_line to to_line exactly as they are in the file, each with its own line end (\\n or \\r\\n), so pages laid end to end are the file; total_lines counts the file's lines. At most ${LIMITS.readMaxLines} lines per call: when next_offset is not null, call again with offset set to it. A line longer than ${LIMITS.maxLineChars} characters is cut there and ends with '… [truncated]' (truncated_lines counts them; the file is unchanged). A binary file comes back as kind 'binary' with media_type, size and sha, and, for an image or a PDF of at most 3.5 MiB, content_base64. media_type comes from the extension, else from the content. sha is the Git blob id, size is in bytes. A symbolic link reads as its target. Errors: ENOENT, EISDIR (a folder: use ls), EINVAL (an offset past the end). ${ERRORS}`,
    input: readInput,
  },
  write: {
    description: `Create a file or replace its whole content, making missing parent folders. To change part of a file, use edit instead. Returns path, size (bytes), sha (the Git blob id) and created (true when no file was there). Errors: EISDIR (path is a folder), ENOTDIR (a parent is a file), EINVAL (a path Git cannot hold, content that is not base64). ${ERRORS}`,
    input: writeInput,
  },
  edit: {
    description: `Replace text in a text file. Each edit's old_string must occur exactly once in the file — as the edits before it left it — unless replace_all is true (then every occurrence is replaced). Copy old_string verbatim from read's content and include enough surrounding lines to make it unique. When old_string does not occur exactly, it is looked for again with any run of spaces and tabs read as one space and CRLF as LF; it must then still occur once. All edits apply or none does. An empty old_string in the first edit creates a new file holding new_string (EEXIST if the file exists). Returns replacements (occurrences replaced), sha and size of the new content, and diff: the change as the unified diff \`git diff\` prints (a/ and b/ prefixes, 3 lines of context). Errors: ENOENT (no such file), EISDIR, EEXIST, EINVAL (old_string not found: details.edit is the edit's index; found several times without replace_all: details.count says how often; new_string equal to old_string; a binary file or a symbolic link). ${ERRORS}`,
    input: editInput,
  },
  ls: {
    description: `List a folder: its entries sorted by name, or with recursive everything below it, depth first. Each entry has path (from the root), name, kind ('file', 'dir', 'symlink' or 'submodule'), size (bytes; 0 for a folder), mode and sha (the Git blob id; a submodule's commit; null for a folder). ${MODES} One page holds at most limit entries; when next_cursor is not null, call again with the same path and recursive and cursor set to it. Errors: ENOENT, ENOTDIR (a file: use stat). ${ERRORS}`,
    input: lsInput,
  },
  glob: {
    description: `Find files by path. ${GLOBS} Returns paths: the full paths from the root of the files (symbolic links and submodules too, never folders) that match, in depth-first name order, at most limit of them; truncated is true when there may be more (narrow the pattern or path). Errors: ENOENT and ENOTDIR for path, EINVAL for a bad glob. ${ERRORS}`,
    input: globInput,
  },
  grep: {
    description: `Search the content of files line by line, like git grep -n. Searches regular files below path in depth-first name order. Returns matches (path from the root, line number from 1, text of the line; with context also before and after: the lines around it), files_searched, files_with_matches, skipped (files not searched: too_large, over max_file_bytes; binary, holding a NUL or not UTF-8, listed only when the pattern matches in them) and truncated (true when the search stopped early: at limit matches, or after 4 MiB of lines, 256 MiB of files read or 200,000 entries visited; narrow path or include). Lines longer than ${LIMITS.maxLineChars} characters are cut and end with '… [truncated]'. Errors: ENOENT and ENOTDIR for path, EINVAL for a bad pattern or glob. ${ERRORS}`,
    input: grepInput,
  },
  stat: {
    description: `Describe one path: path, name, kind ('file', 'dir', 'symlink' or 'submodule'), size (bytes), mode and sha (the Git blob id; null for a folder). ${MODES} Errors: ENOENT (nothing there), ENOTDIR (a file on the way). ${ERRORS}`,
    input: statInput,
  },
  mkdir: {
    description: `Make a folder; returns it as stat does. Folders need not be made before writing a file (write makes them), and Git keeps no empty folder: one that is still empty is not part of a checkpoint or of the applied commit. Errors: EEXIST (something is there; a folder too when parents is false), ENOENT (a missing parent when parents is false), ENOTDIR (a file on the way). ${ERRORS}`,
    input: mkdirInput,
  },
  rm: {
    description: `Remove a file, an empty folder, or with recursive a folder and everything in it. Returns removed: how many files (symbolic links and submodules included, folders not) were removed. Errors: ENOENT, ENOTEMPTY (a folder with entries, without recursive), EINVAL (the root). ${ERRORS}`,
    input: rmInput,
  },
  mv: {
    description: `Move or rename a file or folder, as rename(2): onto an existing file it replaces it; onto an empty folder it takes its place; missing parent folders of to are made. Returns from and to. Errors: ENOENT (no from), EISDIR (a file onto a folder), ENOTDIR (a folder onto a file), ENOTEMPTY (onto a folder with entries), EINVAL (a folder into itself). ${ERRORS}`,
    input: mvInput,
  },
} as const satisfies Record<ToolName, ToolSchema>;

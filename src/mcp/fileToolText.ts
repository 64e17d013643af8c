/**
 * The short text an agent reads after a file tool (all but `read`, see
 * readResult.ts): the gist of the REST JSON, which goes along in full as
 * structured content. grep prints as `git grep -n` does (`path:line:text`,
 * context lines `path-line-text`, groups apart by `--`).
 */
import type { ToolName } from '../tools/toolNames.ts';

type Json = Record<string, unknown>;

export function fileToolText(tool: Exclude<ToolName, 'read'>, json: Json): string {
  switch (tool) {
    case 'write':
      return `wrote '${str(json['path'])}': ${str(json['size'])} bytes, sha ${str(json['sha'])}${json['created'] === true ? ' (new file)' : ''}`;
    case 'edit': {
      const n = num(json['replacements']);
      return `edited '${str(json['path'])}': ${n} replacement${n === 1 ? '' : 's'}, now ${str(json['size'])} bytes, sha ${str(json['sha'])}\n${str(json['diff'])}`.trimEnd();
    }
    case 'ls':
      return lsText(json);
    case 'glob': {
      const paths = Array.isArray(json['paths']) ? (json['paths'] as string[]) : [];
      const lines = paths.length === 0 ? ['(no match)'] : [...paths];
      if (json['truncated'] === true) lines.push(`(stopped at ${paths.length} paths: more may match; narrow the pattern or path, or raise limit)`);
      return lines.join('\n');
    }
    case 'grep':
      return grepText(json);
    case 'stat':
    case 'mkdir':
      return entryLine(json);
    case 'rm': {
      const n = num(json['removed']);
      return `removed '${str(json['path'])}' (${n} file${n === 1 ? '' : 's'})`;
    }
    case 'mv':
      return `moved '${str(json['from'])}' to '${str(json['to'])}'`;
  }
}

/** `src/  dir` or `src/a.ts  file 120 bytes 100644 <sha>`. */
function entryLine(entry: Json): string {
  const kind = str(entry['kind']);
  const path = str(entry['path']);
  if (kind === 'dir') return `${path === '' ? '/' : `${path}/`}  dir`;
  return `${path}  ${kind} ${str(entry['size'])} bytes ${str(entry['mode'])} ${str(entry['sha'])}`;
}

function lsText(json: Json): string {
  const entries = Array.isArray(json['entries']) ? (json['entries'] as Json[]) : [];
  const lines = entries.length === 0 ? [`('${str(json['path'])}' is empty)`] : entries.map(entryLine);
  if (typeof json['next_cursor'] === 'string') lines.push(`(more entries: call ls again with cursor '${json['next_cursor']}')`);
  return lines.join('\n');
}

function grepText(json: Json): string {
  const matches = Array.isArray(json['matches']) ? (json['matches'] as Json[]) : [];
  const lines: string[] = [];
  const withContext = matches.some((m) => Array.isArray(m['before']) || Array.isArray(m['after']));
  let last: { path: string; line: number } | undefined;
  for (const m of matches) {
    const path = str(m['path']);
    const line = num(m['line']);
    const before = Array.isArray(m['before']) ? (m['before'] as string[]) : [];
    const after = Array.isArray(m['after']) ? (m['after'] as string[]) : [];
    const first = line - before.length;
    if (withContext && last !== undefined && (last.path !== path || first > last.line + 1)) lines.push('--');
    before.forEach((text, i) => lines.push(`${path}-${first + i}-${text}`));
    lines.push(`${path}:${line}:${str(m['text'])}`);
    after.forEach((text, i) => lines.push(`${path}-${line + 1 + i}-${text}`));
    last = { path, line: line + after.length };
  }
  if (matches.length === 0) lines.push('(no match)');
  const searched = num(json['files_searched']);
  const summary = [`${matches.length} matching line${matches.length === 1 ? '' : 's'} in ${num(json['files_with_matches'])} of ${searched} file${searched === 1 ? '' : 's'} searched`];
  const skipped = Array.isArray(json['skipped']) ? (json['skipped'] as Json[]) : [];
  if (skipped.length > 0) summary.push(`skipped: ${skipped.map((s) => `${str(s['path'])} (${str(s['reason'])})`).join(', ')}`);
  if (json['truncated'] === true) summary.push('truncated: the search stopped early; narrow path or include, or raise limit');
  lines.push(`(${summary.join('; ')})`);
  return lines.join('\n');
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

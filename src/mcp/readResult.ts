/**
 * The MCP answer of `read`: a text file's lines numbered as `cat -n` prints
 * them (the number right-aligned in six columns, a tab, the line), with a
 * last line saying how to read on; a binary file as one line of facts, an
 * image as an image block, a PDF as an embedded resource. The REST JSON goes
 * along as structured content (without the base64, which is in its block).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** `content` (lines as in the file, each with its line end) numbered from `from`; a CR before the LF is left out. */
export function numberLines(content: string, from: number): string {
  if (content === '') return '';
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => `${String(from + i).padStart(6)}\t${line.endsWith('\r') ? line.slice(0, -1) : line}`).join('\n');
}

export function readResult(json: Record<string, unknown>, uri: string): CallToolResult {
  if (json['kind'] !== 'text') return binaryResult(json, uri);
  const content = typeof json['content'] === 'string' ? json['content'] : '';
  const from = typeof json['from_line'] === 'number' ? json['from_line'] : 1;
  const to = json['to_line'];
  const total = json['total_lines'];
  const next = json['next_offset'];
  const cut = typeof json['truncated_lines'] === 'number' ? json['truncated_lines'] : 0;
  const notes: string[] = [];
  if (total === 0) notes.push('(empty file)');
  else if (typeof next === 'number') notes.push(`(lines ${from}-${String(to)} of ${String(total)}: call read with offset ${next} for more)`);
  if (cut > 0) notes.push(`(${cut} line${cut === 1 ? '' : 's'} longer than 2000 characters cut, ending in '… [truncated]')`);
  const text = [numberLines(content, from), ...notes].filter((part) => part !== '').join('\n');
  return { content: [{ type: 'text', text }], structuredContent: json };
}

function binaryResult(json: Record<string, unknown>, uri: string): CallToolResult {
  const { content_base64: data, ...facts } = json;
  const mediaType = typeof json['media_type'] === 'string' ? json['media_type'] : 'application/octet-stream';
  const text = `binary file '${String(json['path'])}': ${mediaType}, ${String(json['size'])} bytes, sha ${String(json['sha'])}`
    + (typeof data === 'string' ? '' : ' (content not shown: only images and PDFs of at most 3.5 MiB are)');
  const result: CallToolResult = { content: [{ type: 'text', text }], structuredContent: facts };
  if (typeof data === 'string') {
    result.content.push(mediaType.startsWith('image/')
      ? { type: 'image', data, mimeType: mediaType }
      : { type: 'resource', resource: { uri, mimeType: mediaType, blob: data } });
  }
  return result;
}

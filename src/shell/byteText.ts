/**
 * Bytes to text and back in the encodings just-bash names for file
 * contents, with Node's meaning (Buffer.from / buf.toString): `utf8`,
 * `binary`/`latin1` (one char per byte: just-bash's pipelines carry bytes
 * this way), `ascii` (as latin1, high bit dropped when decoding), `base64`,
 * `hex`. Without Buffer, so the shell runs in a Worker too.
 */
import { decodeBase64, encodeBase64 } from '../services/base64.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The encoding named by just-bash's `options` argument (a name, or `{encoding}`), default utf8. */
export function encodingOf(options: unknown): string {
  if (typeof options === 'string') return options;
  if (typeof options === 'object' && options !== null) {
    const name = (options as { encoding?: unknown }).encoding;
    if (typeof name === 'string') return name;
  }
  return 'utf8';
}

/** Content to write as bytes; null for base64 or hex text that is not. */
export function textToBytes(content: string | Uint8Array, encoding: string): Uint8Array | null {
  if (typeof content !== 'string') return content;
  switch (encoding) {
    case 'binary':
    case 'latin1':
    case 'ascii': {
      const out = new Uint8Array(content.length);
      for (let i = 0; i < content.length; i++) out[i] = content.charCodeAt(i) & 0xff;
      return out;
    }
    case 'base64':
      return decodeBase64(content.replace(/[\s]/g, ''));
    case 'hex': {
      if (content.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(content)) return null;
      const out = new Uint8Array(content.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = parseInt(content.slice(2 * i, 2 * i + 2), 16);
      return out;
    }
    default:
      return encoder.encode(content);
  }
}

/** File bytes as text in `encoding`. */
export function bytesToText(bytes: Uint8Array, encoding: string): string {
  switch (encoding) {
    case 'binary':
    case 'latin1':
    case 'ascii': {
      const mask = encoding === 'ascii' ? 0x7f : 0xff;
      const parts: string[] = [];
      for (let at = 0; at < bytes.length; at += 8192) {
        const chunk = bytes.subarray(at, at + 8192);
        parts.push(String.fromCharCode(...(mask === 0xff ? chunk : chunk.map((b) => b & mask))));
      }
      return parts.join('');
    }
    case 'base64':
      return encodeBase64(bytes);
    case 'hex':
      return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    default:
      return decoder.decode(bytes);
  }
}

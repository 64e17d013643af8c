/**
 * git 2.39.5's fsck checks on the content of the blobs a tree names
 * `.gitmodules` or `.gitattributes` (fsck.c `fsck_blob`, `fsck_blobs`), which
 * `receive.fsckObjects` runs on every such blob a push brings or names.
 * Ids and levels (fsck.h): all errors, except gitmodulesParse, which is
 * "info" — a `.gitmodules` git cannot parse is accepted, once the entries
 * read before the syntax error passed.
 *
 * `.gitmodules`, read as git config (readConfigEntries.ts); for each
 * `submodule.<name>.<key>`:
 *
 *     gitmodulesName    <name> empty, or with a ".." path component ('/' or '\')
 *     gitmodulesUrl     url: see checkSubmoduleUrl.ts
 *     gitmodulesPath    path starting with '-'
 *     gitmodulesUpdate  update = !command
 *
 * `.gitattributes` (attr.h):
 *
 *     gitattributesLarge       more than ATTR_MAX_FILE_SIZE (100 MiB)
 *     gitattributesLineLength  a line of ATTR_MAX_LINE_LENGTH (2048) bytes or
 *                              more, among the lines before the first NUL
 *
 * 2.39.5 has no size limit on `.gitmodules`: it reports gitmodulesLarge only
 * for a blob it did not load into memory (index-pack streams a blob above
 * core.bigFileThreshold, 512 MiB, and says so when the tree naming it came
 * earlier in the pack), so there is no check for it here.
 * Checks of the tree side (gitmodulesSymlink) are in checkTree.ts.
 */
import { GroveError } from '../../errors.ts';
import { isBadSubmoduleUrl } from './checkSubmoduleUrl.ts';
import { fsckError } from './fsckError.ts';
import type { Oid } from './objectId.ts';
import { readConfigEntries } from './readConfigEntries.ts';

export const ATTR_MAX_FILE_SIZE = 100 * 1024 * 1024;
export const ATTR_MAX_LINE_LENGTH = 2048;

export type SpecialBlobKind = 'gitmodules' | 'gitattributes';
export type SpecialBlobProblem = 'missing' | 'notBlob';

/** Bytes of a byte string, read as UTF-8 for a message (git prints the raw bytes). */
function printable(bytes: string): string {
  return new TextDecoder().decode(Uint8Array.from(bytes, (char) => char.charCodeAt(0)));
}

/** submodule-config.c `check_submodule_name`: no empty name, no ".." component. */
function isBadSubmoduleName(name: string): boolean {
  if (name.length === 0) return true;
  for (let start = 0; start <= name.length; start++) {
    const atComponent = start === 0 || name[start - 1] === '/' || name[start - 1] === '\\';
    if (!atComponent || name[start] !== '.' || name[start + 1] !== '.') continue;
    const after = name[start + 2];
    if (after === undefined || after === '/' || after === '\\') return true;
  }
  return false;
}

/** fsck.c `fsck_gitmodules_fn` on one config entry. */
function checkSubmoduleEntry(name: string, value: string | undefined): void {
  // config.c `parse_config_key(var, "submodule", ...)`: the subsection runs up to the last '.'.
  if (!name.startsWith('submodule.')) return;
  const dot = name.lastIndexOf('.');
  if (dot === 'submodule'.length) return; // no subsection
  const submodule = name.slice('submodule.'.length, dot);
  const key = name.slice(dot + 1);
  if (isBadSubmoduleName(submodule)) throw fsckError('gitmodulesName', `disallowed submodule name: ${printable(submodule)}`);
  if (value === undefined) return;
  if (key === 'url' && isBadSubmoduleUrl(value)) throw fsckError('gitmodulesUrl', `disallowed submodule url: ${printable(value)}`);
  if (key === 'path' && value.startsWith('-')) throw fsckError('gitmodulesPath', `disallowed submodule path: ${printable(value)}`);
  if (key === 'update' && value.startsWith('!')) {
    throw fsckError('gitmodulesUpdate', `disallowed submodule update setting: ${printable(value)}`);
  }
}

/**
 * Throws GroveError BAD_OBJECT (`details.check`: gitmodulesName, gitmodulesUrl,
 * gitmodulesPath or gitmodulesUpdate) for the first entry of a `.gitmodules`
 * blob that git's fsck refuses.
 */
export function checkGitmodules(data: Uint8Array): void {
  readConfigEntries(data, checkSubmoduleEntry); // a syntax error is gitmodulesParse: "info", accepted
}

/**
 * Throws GroveError BAD_OBJECT (`details.check`: gitattributesLarge or
 * gitattributesLineLength) for a `.gitattributes` blob git's fsck refuses.
 */
export function checkGitattributes(data: Uint8Array): void {
  if (data.length > ATTR_MAX_FILE_SIZE) throw fsckError('gitattributesLarge', '.gitattributes too large to parse');
  const nul = data.indexOf(0);
  const end = nul < 0 ? data.length : nul; // git walks the blob as a C string
  for (let start = 0; start < end;) {
    const lf = data.indexOf(0x0a, start);
    const eol = lf < 0 || lf > end ? end : lf;
    if (eol - start >= ATTR_MAX_LINE_LENGTH) {
      throw fsckError('gitattributesLineLength', '.gitattributes has too long lines to parse');
    }
    start = eol + 1;
  }
}

const PROBLEMS: Record<SpecialBlobKind, Record<SpecialBlobProblem, [string, string]>> = {
  gitmodules: {
    missing: ['gitmodulesMissing', 'unable to read .gitmodules blob'],
    notBlob: ['gitmodulesBlob', 'non-blob found at .gitmodules'],
  },
  gitattributes: {
    missing: ['gitattributesMissing', 'unable to read .gitattributes blob'],
    notBlob: ['gitattributesBlob', 'non-blob found at .gitattributes'],
  },
};

/**
 * The error git's `fsck_finish` reports when an id a tree names `.gitmodules`
 * or `.gitattributes` (ObjectCheck.gitmodules/gitattributes) is neither in
 * the pack nor in the repository ('missing'), or is not a blob ('notBlob').
 * Its details carry the id too.
 *
 * Only a gitlink can name a missing id without failing the connectivity
 * check. receive-pack refuses that for `.gitattributes`, but for
 * `.gitmodules` only when it unpacks the push with `unpack-objects` (fewer
 * than transfer.unpackLimit, 100, objects): `index-pack` prints a missing
 * `.gitmodules` for a fetch to get later, and accepts it.
 *
 * @example
 *   throw specialBlobError('gitmodules', 'notBlob', oid);
 *   // GroveError { code: 'BAD_OBJECT', message: 'gitmodulesBlob: non-blob found at .gitmodules',
 *   //              details: { check: 'gitmodulesBlob', oid } }
 */
export function specialBlobError(kind: SpecialBlobKind, problem: SpecialBlobProblem, oid: Oid): GroveError {
  const [check, message] = PROBLEMS[kind][problem];
  return new GroveError('BAD_OBJECT', `${check}: ${message}`, { check, oid });
}

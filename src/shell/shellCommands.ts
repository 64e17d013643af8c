/**
 * The commands the shell offers: just-bash's built-ins that run in its
 * portable (browser/Worker) build, offline. Left out: `tar`, `yq`, `xan`,
 * `sqlite3`, `python3` and `js-exec` (that build has none of them: they
 * need Node worker threads or WebAssembly runtimes), and `curl` (no network
 * at all). Listed by name so that a new just-bash version adds nothing
 * unseen.
 */
import type { CommandName } from 'just-bash/browser';

export const SHELL_COMMANDS: CommandName[] = [
  // files
  'cat', 'cp', 'file', 'ln', 'ls', 'mkdir', 'mv', 'readlink', 'rm', 'rmdir', 'split', 'stat', 'touch', 'tree', 'chmod', 'du', 'find',
  // text
  'awk', 'base64', 'column', 'comm', 'cut', 'diff', 'expand', 'fold', 'grep', 'egrep', 'fgrep', 'head', 'join', 'md5sum', 'nl', 'od',
  'paste', 'printf', 'rev', 'rg', 'sed', 'sha1sum', 'sha256sum', 'sort', 'strings', 'tac', 'tail', 'tee', 'tr', 'unexpand', 'uniq', 'wc',
  'xargs', 'echo',
  // data
  'jq', 'html-to-markdown', 'gzip', 'gunzip', 'zcat',
  // shell and environment
  'alias', 'unalias', 'basename', 'dirname', 'pwd', 'env', 'printenv', 'bash', 'sh', 'true', 'false', 'date', 'sleep', 'timeout', 'time',
  'seq', 'expr', 'which', 'help', 'history', 'clear', 'hostname', 'whoami',
];

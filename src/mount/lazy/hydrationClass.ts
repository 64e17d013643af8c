/**
 * The order in which a lazy mount fetches blobs in the background: what a
 * person or an agent opens first comes first.
 *
 *   0  symlinks, and the files that say what a project is and how it builds:
 *      manifests, lockfiles, READMEs, ignore and attribute files
 *   1  source code and configuration
 *   2  everything else
 *   3  binaries (by extension) and big files (over 1 MiB), smallest first
 *
 * A read that finds its blob missing does not wait for its turn: it jumps
 * the queue (HydrationQueue.ts).
 */
export type HydrationClass = 0 | 1 | 2 | 3;

const MANIFESTS = new Set([
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'bun.lockb', 'deno.json',
  'go.mod', 'go.sum', 'go.work', 'cargo.toml', 'cargo.lock', 'pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'pipfile',
  'pipfile.lock', 'poetry.lock', 'gemfile', 'gemfile.lock', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'settings.gradle', 'composer.json',
  'composer.lock', 'mix.exs', 'makefile', 'cmakelists.txt', 'dockerfile', 'tsconfig.json', 'license', 'license.md', 'license.txt', 'copying',
  '.gitignore', '.gitattributes', '.gitmodules', '.editorconfig', '.npmrc', '.nvmrc', '.tool-versions',
]);

const CODE = new Set([
  'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'json', 'jsonc', 'py', 'go', 'rs', 'java', 'kt', 'kts', 'scala', 'c', 'h', 'cc', 'cpp',
  'hpp', 'cs', 'rb', 'php', 'swift', 'm', 'zig', 'lua', 'sh', 'bash', 'zsh', 'ps1', 'sql', 'proto', 'graphql', 'yaml', 'yml', 'toml', 'ini',
  'cfg', 'conf', 'xml', 'html', 'css', 'scss', 'less', 'vue', 'svelte', 'md', 'mdx', 'rst', 'txt', 'ex', 'exs', 'erl', 'hs', 'ml', 'clj',
  'dart', 'r', 'jl', 'nix', 'tf', 'gradle', 'cmake', 'mk',
]);

const BINARY = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'ico', 'bmp', 'tiff', 'psd', 'svgz', 'pdf', 'zip', 'tar', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar',
  'jar', 'war', 'whl', 'mp3', 'mp4', 'mov', 'avi', 'mkv', 'webm', 'wav', 'flac', 'ogg', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'exe', 'dll',
  'so', 'dylib', 'a', 'o', 'bin', 'dat', 'db', 'sqlite', 'wasm', 'class', 'pyc', 'iso', 'dmg', 'parquet', 'onnx', 'pt', 'ckpt',
  'safetensors', 'npy', 'npz', 'h5',
]);

export const BIG_FILE = 1024 * 1024;

export function hydrationClass(path: string, size: number, symlink: boolean): HydrationClass {
  if (symlink) return 0;
  const name = (path.slice(path.lastIndexOf('/') + 1)).toLowerCase();
  if (MANIFESTS.has(name) || name.startsWith('readme')) return 0;
  if (size > BIG_FILE) return 3;
  const dot = name.lastIndexOf('.');
  const ext = dot <= 0 ? '' : name.slice(dot + 1);
  if (BINARY.has(ext)) return 3;
  if (CODE.has(ext)) return 1;
  return 2;
}

/**
 * The npm scenario's package, built locally so that no network is needed: a
 * one-file package `grove-bench-tiny` packed with `npm pack` into a tarball
 * once per run. The scenario's `npm install` names that tarball and runs
 * with `--offline` and a cache of its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TinyPackage {
  tarball: string;
  /** The npm cache the scenario uses. */
  cache: string;
  /** The scenario's script. */
  script: string;
}

export function buildTinyPackage(dir: string): TinyPackage {
  const source = join(dir, 'tiny-src');
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, 'package.json'), `${JSON.stringify({ name: 'grove-bench-tiny', version: '1.0.0', main: 'index.js', license: 'MIT' }, null, 2)}\n`);
  writeFileSync(join(source, 'index.js'), "module.exports = (n) => typeof n === 'number' && Number.isFinite(n);\n");
  const cache = join(dir, 'npm-cache');
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir, '--cache', cache], { cwd: source, encoding: 'utf8' }).trim().split('\n').pop()!;
  const tarball = join(dir, name);
  const script = [
    `printf '{"name":"b","version":"0.0.0","dependencies":{"grove-bench-tiny":"file:${tarball}"}}\\n' > package.json`,
    `npm install --no-audit --no-fund --silent --offline --cache '${cache}'`,
    'test -f node_modules/grove-bench-tiny/index.js',
  ].join('\n');
  return { tarball, cache, script };
}

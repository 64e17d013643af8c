/**
 * `npm run lint`: holds the code to the layer map in docs/ARCHITECTURE.md.
 *
 * The map is the fenced ```layers block of that file, one line per layer:
 *   <layer>: <layers it may import> | <outside modules it may import>
 * `*` means anything. Files belong to the layer whose folder (or file, under
 * src/) is the longest prefix of their path. Test files (*.test.ts) are
 * exempt: tests may reach anything. The check fails on an import the map does
 * not allow, on a file in no layer, and on a map that is not acyclic.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

interface Layer {
  name: string;
  layers: Set<string> | '*';
  modules: Set<string> | '*';
}

function readMap(): Layer[] {
  const doc = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');
  const block = /```layers\n([\s\S]*?)```/.exec(doc);
  if (block === null) throw new Error('docs/ARCHITECTURE.md has no ```layers block');
  return block[1]!.split('\n').filter((l) => l.trim() !== '').map((line) => {
    const match = /^\s*([\w./-]+):\s*([^|]*?)\s*\|\s*(.*?)\s*$/.exec(line);
    if (match === null) throw new Error(`bad line in the layers block: ${line}`);
    const list = (text: string): Set<string> | '*' => (text.trim() === '*' ? '*' : new Set(text.split(/\s+/).filter((w) => w !== '' && w !== '-')));
    return { name: match[1]!, layers: list(match[2]!), modules: list(match[3]!) };
  });
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(layers: Layer[], path: string): Layer | undefined {
  const rel = relative(src, path).replace(/\\/g, '/');
  const candidates = layers.filter((l) => rel === `${l.name}.ts` || rel.startsWith(`${l.name}/`));
  return candidates.sort((a, b) => b.name.length - a.name.length)[0];
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function packageOf(specifier: string): string {
  if (specifier.startsWith('node:') || specifier.startsWith('cloudflare:')) return specifier.split(':')[0]! + ':';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function checkAcyclic(layers: Layer[], problems: string[]): void {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      problems.push(`the layer map has a cycle: ${[...path, name].join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    const layer = byName.get(name);
    if (layer !== undefined && layer.layers !== '*') for (const dep of layer.layers) visit(dep, [...path, name]);
    state.set(name, 'done');
  };
  for (const layer of layers) visit(layer.name, []);
}

const layers = readMap();
const problems: string[] = [];
checkAcyclic(layers, problems);
for (const file of files(src)) {
  if (file.endsWith('.test.ts')) continue;
  const layer = layerOf(layers, file);
  const shown = relative(root, file);
  if (layer === undefined) {
    problems.push(`${shown}: in no layer of docs/ARCHITECTURE.md`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3]!;
    if (specifier.startsWith('.')) {
      const target = layerOf(layers, resolve(dirname(file), specifier));
      if (target === undefined) problems.push(`${shown}: imports ${specifier}, which is in no layer`);
      else if (target !== layer && layer.layers !== '*' && !layer.layers.has(target.name)) {
        problems.push(`${shown}: layer '${layer.name}' may not import layer '${target.name}' (${specifier})`);
      }
    } else {
      const pkg = packageOf(specifier);
      if (layer.modules !== '*' && !layer.modules.has(pkg)) problems.push(`${shown}: layer '${layer.name}' may not import '${specifier}'`);
    }
  }
}

if (problems.length > 0) {
  console.error(`Layer check failed (docs/ARCHITECTURE.md):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`Layer check passed: ${layers.length} layers.`);

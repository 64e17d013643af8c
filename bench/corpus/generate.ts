/**
 * `npm run bench:corpus -- --size medium [--seed 1]`: generates (or finds in
 * the cache) one corpus and prints what it holds.
 */
import { parseArgs } from 'node:util';
import { isCorpusSize } from './corpusProfiles.ts';
import { ensureCorpus } from './ensureCorpus.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: 'medium' }, seed: { type: 'string', default: '1' } } });
const size = values.size;
if (!isCorpusSize(size)) throw new Error(`--size must be small, medium or large, not ${size}`);
const corpus = await ensureCorpus(size, Number(values.seed), (line) => console.log(line));
const kinds = new Map<string, number>();
for (const ref of corpus.refs) {
  const kind = ref.name.split('/').slice(0, 2).join('/');
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
}
console.log(`${corpus.gitDir}\n${corpus.objects} objects, ${(corpus.packBytes / 1048576).toFixed(1)} MiB packed, refs: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);

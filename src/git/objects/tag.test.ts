import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchRepo, sshSigningConfig, type ScratchRepo } from '../../../test/support/scratchRepo.ts';
import { thrownCode } from '../../../test/support/thrown.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { checkObject } from './checkObject.ts';
import { hashObject } from './gitObject.ts';
import { parseTag, serializeTag, type Tag } from './tag.ts';

let repo: ScratchRepo;
/** Annotated tags git made, by name. */
const tags = ['plain', 'signed', 'empty-message', 'of-tree', 'of-blob', 'of-tag', 'unicode-ü'];
let commit = '';

beforeAll(() => {
  repo = scratchRepo();
  const sign = sshSigningConfig(repo.dir);
  const tree = repo.git(['mktree'], '');
  const blob = repo.hash('blob', 'tagged blob\n');
  commit = repo.git(['commit-tree', tree], 'root\n');
  repo.git(['tag', '-a', '-m', 'a plain tag\n\nwith a body', 'plain', commit]);
  repo.git([...sign, 'tag', '-s', '-m', 'a signed tag', 'signed', commit]);
  repo.git(['tag', '-a', '-m', '', 'empty-message', commit]);
  repo.git(['tag', '-a', '-m', 'tree', 'of-tree', tree]);
  repo.git(['tag', '-a', '-m', 'blob', 'of-blob', blob]);
  repo.git(['tag', '-a', '-m', 'tag of a tag', 'of-tag', 'plain']);
  repo.git(['tag', '-a', '-m', 'Grüße', 'unicode-ü', commit], undefined, { GIT_COMMITTER_NAME: 'Zoë', GIT_COMMITTER_DATE: '@1700000000 +0530' });
});

afterAll(() => repo?.remove());

describe('parseTag and serializeTag on tags git made', () => {
  it.each(tags)('%s', (name) => {
    const oid = repo.git(['rev-parse', `refs/tags/${name}`]);
    const data = repo.read('tag', oid);
    const tag = parseTag(data);
    expect(serializeTag(tag)).toEqual(data);

    const format = '%(object)%00%(type)%00%(tag)%00%(taggername)%00%(taggeremail:trim)%00%(taggerdate:raw)%00%(contents)';
    const [object, type, tagName, taggerName, taggerEmail, taggerDate, contents] = repo
      .git(['for-each-ref', `--format=${format}`, `refs/tags/${name}`])
      .split('\0');
    expect([tag.object, tag.type, tag.tag]).toEqual([object, type, tagName]);
    expect([tag.tagger?.name, tag.tagger?.email, `${tag.tagger?.timestamp} ${tag.tagger?.timezone}`]).toEqual([
      taggerName,
      taggerEmail,
      taggerDate,
    ]);
    expect(tag.message.trimEnd()).toBe(contents);
    expect(tag.extraHeaders).toEqual([]);
    expect(checkObject('tag', data)).toEqual({ links: [{ oid: tag.object, type: tag.type }], gitmodules: [], gitattributes: [] });
  });

  it('keeps the signature of a signed tag in its message', () => {
    const tag = parseTag(repo.read('tag', repo.git(['rev-parse', 'refs/tags/signed'])));
    expect(tag.message).toMatch(/^a signed tag\n-----BEGIN SSH SIGNATURE-----\n[\s\S]+\n-----END SSH SIGNATURE-----\n$/);
  });

  it('reads a tag of a tag with type "tag"', () => {
    const tag = parseTag(repo.read('tag', repo.git(['rev-parse', 'refs/tags/of-tag'])));
    expect(tag.type).toBe('tag');
    expect(tag.object).toBe(repo.git(['rev-parse', 'refs/tags/plain']));
  });
});

describe('serializeTag makes what git mktag makes', () => {
  const make = (): Tag => ({
    object: commit,
    type: 'commit',
    tag: 'v1.0',
    tagger: { name: 'Grove Test', email: 'test@grove.invalid', timestamp: 1700000000, timezone: '-0100' },
    extraHeaders: [],
    message: 'release 1.0\n',
  });

  it('for a new tag', () => {
    const data = serializeTag(make());
    expect(repo.git(['mktag'], data)).toBe(hashObject(nodeCodec, 'tag', data));
  });

  it('for an old tag without tagger, which round-trips', () => {
    const { tagger: _, ...rest } = make();
    const data = serializeTag(rest);
    expect(new TextDecoder().decode(data)).toBe(`object ${commit}\ntype commit\ntag v1.0\n\nrelease 1.0\n`);
    const parsed = parseTag(data);
    expect(parsed.tagger).toBeUndefined();
    expect(serializeTag(parsed)).toEqual(data);
  });

  it('keeps headers after the tagger', () => {
    const data = serializeTag({ ...make(), extraHeaders: [['note', 'line one\nline two']] });
    expect(new TextDecoder().decode(data)).toContain('-0100\nnote line one\n line two\n\nrelease 1.0\n');
    expect(parseTag(data).extraHeaders).toEqual([['note', 'line one\nline two']]);
  });

  it('refuses what cannot be written', () => {
    const code = (tag: Tag): unknown => thrownCode(() => serializeTag(tag));
    expect(code({ ...make(), object: 'x' })).toBe('BAD_OBJECT');
    expect(code({ ...make(), type: 'branch' as Tag['type'] })).toBe('BAD_OBJECT');
    expect(code({ ...make(), tag: 'a\nb' })).toBe('BAD_OBJECT');
    expect(code({ ...make(), tag: '' })).toBe('BAD_OBJECT');
  });
});

describe('parseTag on malformed input', () => {
  it.each([
    ['no object line', 'type commit\ntag v\n\nm\n'],
    ['bad object id', 'object 12\ntype commit\ntag v\n\nm\n'],
    ['unknown type', `object ${'a'.repeat(40)}\ntype branch\ntag v\n\nm\n`],
    ['no tag line', `object ${'a'.repeat(40)}\ntype commit\n\nm\n`],
    ['bad tagger', `object ${'a'.repeat(40)}\ntype commit\ntag v\ntagger nobody\n\nm\n`],
  ])('throws BAD_OBJECT: %s', (_, text) => {
    expect(() => parseTag(new TextEncoder().encode(text))).toThrow(expect.objectContaining({ code: 'BAD_OBJECT' }));
  });
});

/**
 * Property-based tests: malformed documents — random bytes, broken JSON Lines, Markdown with
 * unclosed fences and front matter, digest-like files with stray publisher lines and bullets —
 * go through ingestion next to one good document. Loading never throws (but CorpusError), the
 * good document loads in full, warnings name their file (and line for JSON Lines), passages are
 * non-empty with unique ids, and the index built from them finds every passage by its own words.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAliases } from '../../src/corpus/aliases.ts';
import { CorpusError, loadCorpus, parseFile, type Corpus } from '../../src/corpus/load.ts';
import type { Passage } from '../../src/corpus/types.ts';
import { loadDictionary } from '../../src/search/dictionary/dictionary.ts';
import { buildIndex } from '../../src/search/search-index.ts';
import { processTerm, tokenizeWithOffsets } from '../../src/search/tokenize.ts';
import { createTranslator, type Translator } from '../../src/search/translate.ts';
import { CORPUS_WORDS, EMOJI, MARKS, MARKUP, mixture, params, piece, PROPERTY_TIMEOUT_MS, RTL } from './support.ts';

let base: string;
let translator: Translator;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'citebot-fuzz-'));
  translator = createTranslator(loadDictionary(), (await loadAliases('data')).groups);
}, PROPERTY_TIMEOUT_MS);

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Document generators

const line = mixture(12);
const lines = (arb: fc.Arbitrary<string>, maxLength: number) =>
  fc.tuple(fc.array(arb, { maxLength }), fc.constantFrom('\n', '\r\n', '\n\n')).map(([ls, eol]) => ls.join(eol));

const date = fc.oneof(
  fc.constant('2025-01-01 10:00'),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.option(fc.constantFrom(' 10:00', ' 9:5', ' 99:99', ':')))
    .map(([y, m, d, t]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${t ?? ''}`),
);
const publisherLine = fc.tuple(fc.oneof(fc.constantFrom('Xin Hua Wang', 'Ren Min Ri Bao', '', '·', '新华网'), piece), fc.constantFrom('·', '· ', ' · ', '·  '), date)
  .map(([name, dot, d]) => `${name}${dot}${d}`);
const refs = fc.array(fc.oneof(fc.nat({ max: 30 }).map((n) => `[${n}]`), fc.constantFrom('[', ']', '[x]', '[-1]', '[99999999999999999999]')), { maxLength: 4 })
  .map((rs) => rs.join(''));
const bullet = fc.tuple(fc.constantFrom('- ', '-', ' - ', '', '--', '- - '), line, refs, fc.constantFrom('', '.', ' ', '. '))
  .map(([dash, text, r, end]) => `${dash}${text} ${r}${end}`);
const summaryLine = fc.tuple(fc.option(fc.constantFrom('Core Points', 'Group 1', 'Historical Context', '', ' - ')), fc.array(bullet, { maxLength: 6 }))
  .map(([section, bs]) => `${section ? `${section} ` : ''}${bs.join(' ')}`);

/** A file that looks like a news digest: topic, "Search documents", then articles more or less in shape. */
const digest = fc.tuple(
  line,
  fc.constantFrom('Search documents', 'Search documents', ' Search documents ', 'search documents'),
  fc.array(fc.oneof(
    { arbitrary: fc.tuple(line, publisherLine, summaryLine).map((a) => a.join('\n')), weight: 4 },
    { arbitrary: publisherLine, weight: 2 },
    { arbitrary: summaryLine, weight: 2 },
    { arbitrary: line, weight: 2 },
    { arbitrary: fc.constant(''), weight: 1 },
  ), { maxLength: 12 }),
  fc.constantFrom('\n', '\r\n', '\n\n'),
).map(([topic, marker, rest, eol]) => [topic, marker, ...rest].join(eol));

const jsonValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }), mixture(8), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(''),
  fc.constant('   '), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({ nested: 'x' }),
);
/** One JSON Lines line: a good record, a record with wrong fields, or not JSON at all. */
const jsonlLine = (idPrefix: string) => fc.oneof(
  { arbitrary: fc.record({
    id: fc.oneof(fc.nat({ max: 50 }).map((n) => `${idPrefix}${n}`), mixture(2).map((t) => `${idPrefix}${t}`)),
    text: fc.oneof(mixture(30), fc.constant('x'.repeat(3000))),
    title: fc.option(mixture(4), { nil: undefined }),
    source: fc.option(mixture(3), { nil: undefined }),
    date: fc.option(date, { nil: undefined }),
    url: fc.option(fc.constantFrom('https://example.com/a', 'javascript:x', ''), { nil: undefined }),
    section: fc.option(mixture(3), { nil: undefined }),
    lang: fc.option(fc.constantFrom('zh', 'en', 'ZH-Hans', 'fr', ''), { nil: undefined }),
  }, { requiredKeys: ['id', 'text'] }).map((r) => JSON.stringify(r)), weight: 5 },
  { arbitrary: fc.dictionary(fc.constantFrom('id', 'text', 'title', 'source', 'date', 'url', 'section', 'lang', 'other'), jsonValue)
    .map((r) => JSON.stringify(typeof r.id === 'string' || typeof r.id === 'number' ? { ...r, id: `${idPrefix}${r.id}` } : r)), weight: 3 },
  { arbitrary: fc.record({ id: fc.nat().map((n) => `${idPrefix}${n}`), text: fc.constantFrom('\\ud800 railway', 'a\\u0000b', '\\ufeff') })
    .map((r) => `{"id":${JSON.stringify(r.id)},"text":"${r.text}"}`), weight: 1 },
  { arbitrary: fc.oneof(fc.json(), line, fc.constantFrom('{', '[]', 'null', '"text"', '{"id":', '  ', '\uFEFF'),
    fc.constant(`\uFEFF{"id":"${idPrefix}bom","text":"x"}`)), weight: 2 },
);
const jsonl = (idPrefix: string) => lines(jsonlLine(idPrefix), 15);

const markdownLine = fc.oneof(
  { arbitrary: line, weight: 6 },
  { arbitrary: fc.tuple(fc.constantFrom('#', '##', '###', '#######', '# ', '##  '), line).map(([h, t]) => `${h} ${t}`), weight: 2 },
  { arbitrary: fc.constantFrom('---', '```', '~~~', '```js', '***', '- - -', '', '> quote', '1. item', '- item', '* item', '+', 'title: x', 'url: "https://e.com"'), weight: 3 },
  { arbitrary: fc.tuple(fc.constantFrom('- ', '* ', '1) ', '> ', '    '), line).map(([m, t]) => m + t), weight: 2 },
);
const markdown = fc.tuple(fc.boolean(), lines(markdownLine, 25)).map(([front, body]) => (front ? `---\ntitle: t\n${body}` : body));

const text = fc.oneof(lines(line, 20), fc.string({ unit: 'binary', maxLength: 2000 }), fc.string({ unit: 'grapheme', maxLength: 500 }));

/** Raw bytes: invalid UTF-8, NULs, BOMs, lone CRs. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }),
  fc.array(fc.constantFrom(0x00, 0x0d, 0x0a, 0xef, 0xbb, 0xbf, 0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x61, 0x20, 0x5b, 0x31, 0x5d, 0x2d, 0xc2, 0xb7), { maxLength: 600 })
    .map((a) => Uint8Array.from(a)),
);

type Kind = 'txt' | 'md' | 'jsonl' | 'digest' | 'bytes';
const EXTENSIONS: Record<Kind, string[]> = {
  txt: ['.txt', '.TXT'],
  md: ['.md', '.markdown', '.MD'],
  jsonl: ['.jsonl'],
  digest: ['.txt'],
  bytes: ['.txt', '.md', '.jsonl', '.pdf', ''],
};

/** File content of a kind: a string or raw bytes. JSONL ids carry the file's prefix (see the known id bug below). */
const contentOf = (kind: Kind, idPrefix: string): fc.Arbitrary<string | Uint8Array> =>
  kind === 'txt' ? text : kind === 'md' ? markdown : kind === 'jsonl' ? jsonl(idPrefix) : kind === 'digest' ? digest : bytes;

interface GenFile {
  name: string;
  content: string | Uint8Array;
}

const nameChars = fc.constantFrom(...'abcxyz019 _-.é中'.split(''));
/** Up to five malformed files, named r0-…, r1-…, in the folder or a subfolder. */
const malformedFiles: fc.Arbitrary<GenFile[]> = fc
  .array(fc.tuple(fc.constantFrom<Kind>('txt', 'md', 'jsonl', 'digest', 'bytes'), fc.string({ unit: nameChars, maxLength: 8 }), fc.nat(), fc.boolean()), { maxLength: 5 })
  .chain((specs) =>
    fc.tuple(...specs.map(([kind, stem, ext, nested], i) =>
      contentOf(kind, `j${i}:`).map((content): GenFile => {
        const exts = EXTENSIONS[kind];
        return { name: `${nested ? 'sub/' : ''}r${i}-${stem}${exts[ext % exts.length]}`, content };
      }))),
  );

/** Good documents, one per format, with words no generator produces (so no passage of theirs is a duplicate). */
const GOOD: Array<{ name: string; text: string }> = [
  {
    name: 'good-document.md',
    text: [
      '---', 'title: "Good <b>document</b>"', 'source: Example Press', 'date: 2025-01-01', 'url: https://example.com/good', '---',
      '# Ignored heading', '', '## Section zqgood', 'Zqgoodalpha railways connect harbours.', 'A second line of zqgoodalpha.', '',
      '- Zqgoodbeta listed item about trains.', '', '中亚铁路合作项目稳步推进，乙丙丁戊。', '', '```', 'zqgoodgamma code block', '```',
    ].join('\n'),
  },
  {
    name: 'good-digest.txt',
    text: [
      'Zqgood topic', 'Search documents', 'Zqgood first title', 'Good Press· 2025-01-01 10:00',
      'Core Points - zqgooddelta railways grow [1][2] - zqgoodepsilon freight trains [3] Group 1 - 乙丙丁戊己铁路 [4]',
      'Zqgood second title', 'Other Press· 2025-02-03', '- zqgoodzeta summit outcomes [5]',
    ].join('\n'),
  },
  {
    name: 'good-records.jsonl',
    text: [
      JSON.stringify({ id: 'good-1', text: 'Zqgoodeta railway record', title: 'Good', source: 'Press', date: '2025-01-01', url: 'https://e.com' }),
      JSON.stringify({ id: 'good-2', text: '乙丙丁戊己庚铁路 zqgoodtheta', lang: 'zh' }),
    ].join('\n'),
  },
  {
    name: 'good-plain.txt',
    text: `Zqgoodiota railways.\nSecond line zqgoodiota.\n\n${Array.from({ length: 40 }, (_, i) => `Zqgoodkappa sentence ${i} about trade.`).join(' ')}`,
  },
];

async function writeFolder(files: GenFile[], good: { name: string; text: string } | null): Promise<string> {
  const dir = await mkdtemp(join(base, 'run-'));
  for (const file of [...(good ? [{ name: good.name, content: good.text }] : []), ...files]) {
    await mkdir(dirname(join(dir, file.name)), { recursive: true });
    await writeFile(join(dir, file.name), file.content);
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Oracles

/** A word of a passage's own text that search should find it by: a Latin word of ≥ 4 letters or a Han bigram, not a stop word. */
function ownTerm(passage: Passage): string | undefined {
  for (const token of tokenizeWithOffsets(passage.text)) {
    if (!processTerm(token.word)) continue;
    if (token.han ? [...token.word].length === 2 : /^[a-z]{4,}$/.test(token.word)) return token.word;
  }
  return undefined;
}

/** Every passage of the corpus (up to `max`, spread evenly) is found by one of its own words. */
function expectSearchable(corpus: Corpus, max = 40): void {
  const index = buildIndex(corpus.passages, translator);
  expect(index.passages.length).toBe(corpus.passages.length);
  const step = Math.max(1, Math.ceil(corpus.passages.length / max));
  for (let i = 0; i < corpus.passages.length; i += step) {
    const passage = corpus.passages[i]!;
    const term = ownTerm(passage);
    if (!term) continue;
    const ids = index.search(term, { gate: false }).map((hit) => hit.passage.id);
    if (!ids.includes(passage.id)) throw new Error(`passage ${passage.id} not found by its word "${term}": ${JSON.stringify(passage.text.slice(0, 200))}`);
  }
}

function expectSaneCorpus(corpus: Corpus, written: Map<string, string | Uint8Array>): void {
  const ids = new Set<string>();
  for (const passage of corpus.passages) {
    expect(passage.text.trim(), `passage ${passage.id} has empty text`).not.toBe('');
    expect(ids.has(passage.id), `duplicate passage id ${passage.id}`).toBe(false);
    ids.add(passage.id);
    expect(written.has(passage.file), `passage ${passage.id} names file ${passage.file}`).toBe(true);
  }
  expect(corpus.documents.flatMap((d) => d.passages)).toEqual(corpus.passages);
  for (const warning of corpus.warnings) {
    expect(written.has(warning.file), `warning names an unknown file: ${JSON.stringify(warning)}`).toBe(true);
    expect(warning.message.length).toBeGreaterThan(0);
    const content = written.get(warning.file)!;
    const lineCount = (typeof content === 'string' ? content : Buffer.from(content).toString('utf8')).split(/\r?\n/).length;
    if (warning.line !== undefined) {
      expect(Number.isInteger(warning.line) && warning.line >= 1 && warning.line <= lineCount, `warning line: ${JSON.stringify(warning)}`).toBe(true);
    } else if (warning.file.toLowerCase().endsWith('.jsonl')) {
      expect(warning.message, `a JSONL warning without a line: ${JSON.stringify(warning)}`).toMatch(/^file skipped/);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Properties

describe('malformed documents next to a good one', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('load without throwing, keep the good document whole, and index every passage', async () => {
    await fc.assert(
      fc.asyncProperty(malformedFiles, fc.constantFrom(...GOOD), async (files, good) => {
        const dir = await writeFolder(files, good);
        try {
          const corpus = await loadCorpus(dir);
          const written = new Map<string, string | Uint8Array>([[good.name, good.text], ...files.map((f): [string, string | Uint8Array] => [f.name, f.content])]);
          expectSaneCorpus(corpus, written);
          // The good document loads in full, exactly as it parses on its own.
          const expected = parseFile(good.text, good.name)!.documents.flatMap((d) => d.passages);
          expect(expected.length).toBeGreaterThan(0);
          expect(corpus.passages.filter((p) => p.file === good.name)).toEqual(expected);
          expect(corpus.warnings.filter((w) => w.file === good.name)).toEqual([]);
          expectSearchable(corpus);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      params(200),
    );
  });

  it('a folder of only malformed files loads or fails with CorpusError, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(malformedFiles, async (files) => {
        const dir = await writeFolder(files, null);
        try {
          let corpus: Corpus;
          try {
            corpus = await loadCorpus(dir);
          } catch (error) {
            expect(error).toBeInstanceOf(CorpusError);
            return;
          }
          expectSaneCorpus(corpus, new Map(files.map((f) => [f.name, f.content])));
          expectSearchable(corpus);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      params(100),
    );
  });

  /*
   * Regression test for a bug found by this property, now fixed (src/corpus/load.ts, loadCorpus): JSONL passages keep their record id as the passage id,
   * and ids are only checked for duplicates within one file. Two files can therefore yield the
   * same passage id, and SearchIndex.build then threw a plain Error (minisearch's index, used
   * then: "MiniSearch: duplicate ID 1"), so openIndex failed with something other than CorpusError
   * and the bot did not start. Ids must stay unique: answers, paging and inline results use them.
   * Shrunk counterexample: a.jsonl = {"id":"1","text":"alpha railway"}, b.jsonl =
   * {"id":"1","text":"beta railway"} → passage ids ['1', '1'], buildIndex throws. Also a JSONL
   * id equal to another file's passage id: c.txt = "gamma railway" (id "c.txt#1") and
   * d.jsonl = {"id":"c.txt#1","text":"delta railway"}. Expected: unique ids (the later record
   * skipped with a warning naming file and line, or its id made unique); no throw.
   */
  it('passage ids are unique across files, so the index always builds', async () => {
    const record = fc.record({ id: fc.oneof(fc.constantFrom('1', 'a', 'good-plain.txt#1'), fc.nat({ max: 3 })), text: mixture(6) })
      .filter((r) => r.text.trim().length > 0)
      .map((r) => JSON.stringify(r));
    await fc.assert(
      fc.asyncProperty(fc.array(lines(record, 3), { minLength: 1, maxLength: 3 }), async (contents) => {
        const files = contents.map((content, i): GenFile => ({ name: `r${i}.jsonl`, content }));
        const good = GOOD[3]!;
        const dir = await writeFolder(files, good);
        try {
          const corpus = await loadCorpus(dir);
          expect(new Set(corpus.passages.map((p) => p.id)).size).toBe(corpus.passages.length);
          buildIndex(corpus.passages, translator);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { ...params(100), endOnFailure: true },
    );
  });
});

describe('parseFile on any text', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  const inputs: Array<[string, fc.Arbitrary<string>]> = [
    ['random code points', fc.string({ unit: 'binary', maxLength: 1000 })],
    ['random lines', lines(line, 30)],
    ['digest-like', digest],
    ['markdown-like', markdown],
    ['JSON Lines-like', jsonl('')],
    ['hostile pieces', fc.array(fc.constantFrom(...MARKUP, ...EMOJI, ...RTL, ...MARKS, ...CORPUS_WORDS, '\n', '\r\n', '\n\n', '\uFEFF', '---', '```', 'Search documents'), { maxLength: 80 }).map((p) => p.join(''))],
  ];
  const files = ['doc.txt', 'doc.md', 'doc.markdown', 'doc.jsonl', 'DOC.TXT', 'sub/中文 名.md'];

  it.each(inputs)('%s: never throws; passages are non-empty with unique ids; warnings name the file', (_name, input) => {
    fc.assert(
      fc.property(input, fc.constantFrom(...files), (content, file) => {
        const result = parseFile(content, file);
        expect(result).toBeDefined();
        const passages = result!.documents.flatMap((d) => d.passages);
        expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
        for (const passage of passages) {
          expect(passage.text.trim()).not.toBe('');
          expect(passage.file).toBe(file);
        }
        for (const warning of result!.warnings) {
          expect(warning.file).toBe(file);
          if (file.endsWith('.jsonl')) expect(warning.line).toBeGreaterThanOrEqual(1);
        }
      }),
      params(500),
    );
  });

  it('ignores files it does not read', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('a.pdf', 'a', 'a.json', 'a.txt.bak', '.md'), (content, file) => {
        expect(parseFile(content, file)).toBeUndefined();
      }),
      params(200),
    );
  });
});

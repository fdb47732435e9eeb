import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import iconv from 'iconv-lite';
import { CorpusError, loadCorpus, READ_EXTENSIONS, readerFor, summarizeIgnored } from '../../../src/corpus/load.ts';

// A file named "locked.*" cannot be read, whoever runs the tests (root reads chmod 000 files).
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = (async (path: Parameters<typeof actual.readFile>[0], options?: Parameters<typeof actual.readFile>[1]) => {
    if (/(^|[\\/])locked\.[a-z]+$/.test(String(path))) {
      throw Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), { code: 'EACCES' });
    }
    return actual.readFile(path, options);
  }) as typeof actual.readFile;
  return { ...actual, readFile, default: { ...actual, readFile } };
});

const DATA = fileURLToPath(new URL('../../../data', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../fixtures/documents', import.meta.url));
const folders: string[] = [];

/** A temporary data folder holding `files` (relative path → content). */
async function folder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'citebot-load-'));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const DIGEST = ['共同现代化', 'Search documents', 'Title', 'Pub· 2025-01-01 10:00', 'Core Points - Digest bullet one [1] - Digest bullet two [2]'].join('\n');

describe('loadCorpus', () => {
  it('loads the shipped data folder: 2 documents, 22 passages, nothing skipped', async () => {
    const corpus = await loadCorpus(DATA);
    expect(corpus.documents).toHaveLength(2);
    expect(corpus.passages).toHaveLength(22);
    expect(corpus.warnings).toEqual([]);
    expect(corpus.duplicates).toBe(0);
  });

  it('reads every supported kind of file, recursively and in name order', async () => {
    const dir = await folder({
      'b.md': '# Markdown Title\n\nMarkdown passage.',
      'a.txt': 'Plain passage.',
      'c.jsonl': JSON.stringify({ id: 'j1', text: 'Jsonl passage.' }),
      'd-digest.txt': DIGEST,
      'sub/e.markdown': 'Nested passage.',
    });
    const corpus = await loadCorpus(dir);
    expect(corpus.warnings).toEqual([]);
    expect(corpus.passages.map((p) => [p.file, p.text])).toEqual([
      ['a.txt', 'Plain passage.'],
      ['b.md', 'Markdown passage.'],
      ['c.jsonl', 'Jsonl passage.'],
      ['d-digest.txt', 'Digest bullet one'],
      ['d-digest.txt', 'Digest bullet two'],
      ['sub/e.markdown', 'Nested passage.'],
    ]);
    expect(corpus.passages.find((p) => p.file === 'd-digest.txt')?.topic).toBe('共同现代化');
    expect(corpus.documents).toHaveLength(5);
  });

  it('lists a file of an unknown kind in `ignored` and loads the rest', async () => {
    const dir = await folder({ 'slides.pptx': 'PK', 'sub/image.png': 'png', 'a.txt': 'Kept.' });
    const corpus = await loadCorpus(dir);
    expect(corpus.ignored).toEqual(['slides.pptx', 'sub/image.png']);
    expect(corpus.passages.map((p) => p.text)).toEqual(['Kept.']);
  });

  it('decodes GBK, Big5 and UTF-16 files, reads CSV rows, and skips a binary file renamed .txt with a warning naming it', async () => {
    const dir = await folder({
      'gbk.txt': iconv.encode('共同现代化\n\n中国与中亚国家贸易额增长了35%。', 'gbk'),
      'big5.txt': iconv.encode('在歐洲，梵語的學術研究，由德國學者陸特和漢斯雷頓開創。', 'big5'),
      'utf16.md': Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('# 标题\n\n高质量发展推进共同现代化。', 'utf-16le')]),
      'rows.csv': iconv.encode('标题,正文\n峰会,第二届中国—中亚峰会取得110项合作成果。\n', 'gbk'),
      'scan.txt': Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'),
    });
    const corpus = await loadCorpus(dir);
    expect(corpus.passages.map((p) => [p.file, p.text])).toEqual([
      ['big5.txt', '在歐洲，梵語的學術研究，由德國學者陸特和漢斯雷頓開創。'],
      ['gbk.txt', '共同现代化'],
      ['gbk.txt', '中国与中亚国家贸易额增长了35%。'],
      ['rows.csv', '第二届中国—中亚峰会取得110项合作成果。'],
      ['utf16.md', '高质量发展推进共同现代化。'],
    ]);
    expect(corpus.passages.find((p) => p.file === 'rows.csv')?.title).toBe('峰会');
    expect(corpus.warnings).toEqual([{ file: 'scan.txt', message: 'file skipped: binary content (PDF), not text' }]);
  });

  it('warns about byte sequences that could not be decoded, and keeps the rest of the file', async () => {
    const text = '中国与中亚国家贸易额增长了35%。'.repeat(4);
    const dir = await folder({ 'broken.txt': Buffer.concat([iconv.encode(text, 'gbk'), Buffer.from([0xff]), iconv.encode(text, 'gbk')]) });
    const corpus = await loadCorpus(dir);
    expect(corpus.passages[0]?.text).toContain(text);
    expect(corpus.warnings).toEqual([{ file: 'broken.txt', line: 1, message: '1 byte sequences are not valid gb18030 (the first on this line) and read as "\uFFFD"' }]);
  });

  it('has one reader an extension, and summarizes ignored files in one line', () => {
    expect(READ_EXTENSIONS).toEqual(['.txt', '.md', '.markdown', '.jsonl', '.csv', '.pdf', '.docx', '.html', '.htm']);
    expect(readerFor('a/B.CSV')).toBeTypeOf('function');
    expect(readerFor('a.pptx')).toBeUndefined();
    expect(readerFor('constructor')).toBeUndefined();
    expect(summarizeIgnored([])).toBeNull();
    expect(summarizeIgnored(['a.pptx'])).toBe('1 file ignored, not a kind we read (a.pptx); we read .txt .md .markdown .jsonl .csv .pdf .docx .html .htm');
    expect(summarizeIgnored(['1.pptx', '2.pptx', '3.png', '4.doc', '5.xlsx', '6.zip', '7.odt'])).toBe(
      '7 files ignored, not a kind we read (1.pptx, 2.pptx, 3.png, 4.doc, 5.xlsx, and 2 more); we read .txt .md .markdown .jsonl .csv .pdf .docx .html .htm',
    );
  });

  it('reads PDF, DOCX and HTML files from their bytes, and skips a broken one with a warning naming it', async () => {
    const dir = await folder({ 'broken.docx': 'PK not a zip', 'page.htm': '<p>Gbk page 中文</p>' });
    for (const name of ['dry-ports-report.pdf', 'rail-notes-zh.docx', 'caspian-ferries.html']) await copyFile(join(FIXTURES, name), join(dir, name));
    const corpus = await loadCorpus(dir);
    expect(corpus.ignored).toEqual([]);
    expect(corpus.documents.map((d) => d.file)).toEqual(['caspian-ferries.html', 'dry-ports-report.pdf', 'page.htm', 'rail-notes-zh.docx']);
    expect(corpus.passages.find((p) => p.text.includes('512,000'))).toMatchObject({ file: 'dry-ports-report.pdf', section: 'Khorgos Gateway › p. 2' });
    expect(corpus.warnings).toEqual([{ file: 'broken.docx', message: expect.stringMatching(/^file skipped: not a readable \.docx/) }]);
  });

  it('skips hidden files and the aliases settings file without listing them', async () => {
    const dir = await folder({ '.hidden.md': 'Hidden.', 'aliases.json': '{}', 'a.txt': 'Kept.' });
    const corpus = await loadCorpus(dir);
    expect(corpus.passages.map((p) => p.text)).toEqual(['Kept.']);
    expect(corpus.ignored).toEqual([]);
  });

  it('skips a file it cannot read with a warning naming it, and loads the rest', async () => {
    const dir = await folder({ 'locked.md': 'Never read.', 'z.txt': 'Still loaded.' });
    const corpus = await loadCorpus(dir);
    expect(corpus.warnings).toEqual([expect.objectContaining({ file: 'locked.md', message: expect.stringMatching(/skipped/) })]);
    expect(corpus.passages.map((p) => p.text)).toEqual(['Still loaded.']);
  });

  it('skips the bad lines of an invalid file with warnings, and loads the rest', async () => {
    const dir = await folder({ 'bad.jsonl': 'nope\n{"id": 3}', 'empty.md': '\n\n', 'good.txt': 'Good passage.' });
    const corpus = await loadCorpus(dir);
    expect(corpus.warnings).toEqual([
      expect.objectContaining({ file: 'bad.jsonl', line: 1 }),
      expect.objectContaining({ file: 'bad.jsonl', line: 2 }),
      expect.objectContaining({ file: 'empty.md', message: expect.stringMatching(/no text/) }),
    ]);
    expect(corpus.passages.map((p) => p.text)).toEqual(['Good passage.']);
  });

  it('loads a file of 200,000 paragraphs, and one of 200,000 bad lines', async () => {
    const many = 200_000;
    const dir = await folder({
      'big.txt': Array.from({ length: many }, (_, i) => `Paragraph ${i}.`).join('\n\n'),
      'bad.jsonl': 'nope\n'.repeat(many),
    });
    const corpus = await loadCorpus(dir);
    expect(corpus.passages).toHaveLength(many);
    expect(corpus.warnings).toHaveLength(many);
  });

  it('indexes identical passages once and counts the duplicates', async () => {
    const dir = await folder({
      'a.txt': 'The same passage.\n\nOnly in a.',
      'b.md': 'The  SAME passage.\n\nOnly in b.',
      'c.jsonl': JSON.stringify({ id: 'c1', text: 'the same passage.' }),
    });
    const corpus = await loadCorpus(dir);
    expect(corpus.duplicates).toBe(2);
    expect(corpus.passages.map((p) => p.text)).toEqual(['The same passage.', 'Only in a.', 'Only in b.']);
    // A document left without passages is dropped.
    expect(corpus.documents.map((d) => d.id)).toEqual(['a.txt', 'b.md']);
  });

  it('strips a byte order mark, so a digest is still recognised', async () => {
    const dir = await folder({ 'digest.txt': `\uFEFF${DIGEST}` });
    const corpus = await loadCorpus(dir);
    expect(corpus.passages.map((p) => [p.text, p.topic])).toEqual([
      ['Digest bullet one', '共同现代化'],
      ['Digest bullet two', '共同现代化'],
    ]);
  });

  it('rejects an empty folder with a CorpusError', async () => {
    const dir = await folder({});
    await expect(loadCorpus(dir)).rejects.toBeInstanceOf(CorpusError);
  });

  it('rejects a folder with nothing it can read with a CorpusError', async () => {
    const dir = await folder({ 'notes.pdf': 'x', 'blank.txt': '   ' });
    await expect(loadCorpus(dir)).rejects.toBeInstanceOf(CorpusError);
  });

  it('rejects a missing folder with a CorpusError naming it', async () => {
    const missing = join(tmpdir(), 'citebot-does-not-exist', 'data');
    await expect(loadCorpus(missing)).rejects.toThrow(CorpusError);
    await expect(loadCorpus(missing)).rejects.toThrow(missing);
  });

  it('accepts a single file as the data folder', async () => {
    const dir = await folder({
      'only.jsonl': [JSON.stringify({ id: 'x1', text: 'First.' }), JSON.stringify({ id: 'x2', text: 'Second.' })].join('\n'),
      'other.txt': 'Not loaded.',
    });
    const corpus = await loadCorpus(join(dir, 'only.jsonl'));
    expect(corpus.passages.map((p) => [p.id, p.file])).toEqual([
      ['x1', 'only.jsonl'],
      ['x2', 'only.jsonl'],
    ]);
  });
});

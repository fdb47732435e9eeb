import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { joinPdfLines, linesOf, parsePdf, pdfDocument, sensiblePdfTitle, type PdfTextItem } from '../../../src/corpus/parse-pdf.ts';

const fixture = async (name: string) => new Uint8Array(await readFile(fileURLToPath(new URL(`../../fixtures/documents/${name}`, import.meta.url))));

/** A text run of a synthetic page: `size` points high, on the baseline `y`. */
const run = (str: string, y: number, size = 10, x = 50, hasEOL = true): PdfTextItem => ({ str, x, y, width: str.length * size * 0.5, fontSize: size, hasEOL });

describe('parsePdf on real PDFs (LibreOffice-made fixtures)', () => {
  it('gives each passage its page, after the heading above it, and the title from the PDF metadata', async () => {
    const { documents, warnings } = await parsePdf(await fixture('dry-ports-report.pdf'), 'reports/dry-ports-report.pdf');
    expect(warnings).toEqual([]);
    const [document] = documents;
    expect(document).toMatchObject({ id: 'reports/dry-ports-report.pdf', file: 'reports/dry-ports-report.pdf', title: 'Dry Ports of the Silk Road: 2024 Review' });
    const passages = document!.passages;
    expect(passages.find((p) => p.text.includes('512,000'))?.section).toBe('Khorgos Gateway › p. 2');
    expect(passages.find((p) => p.text.includes('Aktau'))?.section).toBe('Outlook › p. 3');
    expect(passages[0]!.section).toBe('Overview › p. 1');
    for (const passage of passages) {
      expect(passage.section).toMatch(/ › p\. [123]$/);
      expect(passage.title).toBe(document!.title);
      expect(passage.text.length).toBeLessThanOrEqual(600);
    }
    // The printed title (the largest heading, on page 1 only) is not a section.
    expect(passages.some((p) => p.section?.includes('Dry Ports of the Silk Road'))).toBe(false);
    // Lines are joined with one space; a compound keeps its hyphens.
    expect(passages[0]!.text).toContain('pass customs and are regrouped');
    expect(passages[0]!.text).toContain('China-Kyrgyzstan-Uzbekistan railway');
  });

  it('joins the lines of a Chinese paragraph without spaces', async () => {
    const { documents } = await parsePdf(await fixture('trade-brief-zh.pdf'), 'trade-brief-zh.pdf');
    const [document] = documents;
    expect(document!.title).toBe('中亚贸易简报');
    expect(document!.passages.map((p) => p.section)).toEqual(['总体情况 › p. 1', '霍尔果斯口岸 › p. 2']);
    // "…增长百" ends a printed line and "分之五。…" starts the next one.
    expect(document!.passages[0]!.text).toContain('比上一年增长百分之五。其中');
    expect(document!.passages[0]!.text).not.toMatch(/\p{Script=Han} \p{Script=Han}/u);
    expect(document!.passages[0]!.lang).toBe('zh');
  });

  it('reads Chinese set in a font the PDF does not embed (predefined CMap UniGB-UCS2-H), with pdf.js\'s CMap files', async () => {
    const { documents, warnings } = await parsePdf(await fixture('cid-font-zh.pdf'), 'cid-font-zh.pdf');
    expect(warnings).toEqual([]);
    expect(documents[0]!.passages.map((p) => [p.text, p.section])).toEqual([['霍尔果斯口岸的换装场每天可以处理十二列中欧班列。', 'p. 1']]);
  });

  it('skips an encrypted PDF with a warning naming the file', async () => {
    expect(await parsePdf(await fixture('encrypted-report.pdf'), 'encrypted-report.pdf')).toEqual({
      documents: [],
      warnings: [{ file: 'encrypted-report.pdf', message: 'file skipped: encrypted PDF (it needs a password)' }],
    });
  });

  it('reads a PDF encrypted with an owner password only (permissions), which opens without one', async () => {
    const { documents, warnings } = await parsePdf(await fixture('restricted-brief-zh.pdf'), 'restricted-brief-zh.pdf');
    expect(warnings).toEqual([]);
    expect(documents[0]!.passages.map((p) => p.section)).toEqual(['总体情况 › p. 1', '霍尔果斯口岸 › p. 2']);
  });

  it('skips a scanned PDF (pictures, no text layer) with a "no text layer" warning naming the file', async () => {
    const { documents, warnings } = await parsePdf(await fixture('scanned-letter.pdf'), 'scans/scanned-letter.pdf');
    expect(documents).toEqual([]);
    expect(warnings).toEqual([{ file: 'scans/scanned-letter.pdf', message: expect.stringContaining('no text layer') }]);
  });

  it('skips corrupt bytes and a truncated PDF with a warning naming the file', async () => {
    const whole = await fixture('dry-ports-report.pdf');
    for (const bytes of [new TextEncoder().encode('%PDF-1.4\nnot really a pdf'), whole.slice(0, 900), new Uint8Array([0, 1, 2, 3])]) {
      const { documents, warnings } = await parsePdf(bytes, 'broken.pdf');
      expect(documents).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ file: 'broken.pdf', message: expect.stringMatching(/^file skipped: (not a readable PDF|no text layer)/) });
    }
  });
});

describe('PDF text layout', () => {
  it('groups runs into lines at a marked line end or a new baseline, adding the space a gap stands for', () => {
    const items = [run('Dry', 700, 10, 50, false), run('ports', 700, 10, 70, false), run('are', 688, 10, 50, false), run(' inland', 688, 10, 65, true), run('', 0, 10, 0, true)];
    expect(linesOf(items).map((l) => [l.text, l.y, l.size])).toEqual([
      ['Dry ports', 700, 10],
      ['are inland', 688, 10],
    ]);
  });

  it('joins a word hyphenated at a line end, but keeps hyphens the document writes', () => {
    expect(joinPdfLines(['The infra-', 'structure was built.'])).toBe('The infrastructure was built.');
    expect(joinPdfLines(['a soft hyphen\u00ad', 'ated word'])).toBe('a soft hyphenated word');
    expect(joinPdfLines(['a well-', 'known port'], new Set(['well-known']))).toBe('a well-known port');
    expect(joinPdfLines(['the China-', 'Kyrgyzstan railway'])).toBe('the China-Kyrgyzstan railway');
    expect(joinPdfLines(['in 2023-', '2024 alone'])).toBe('in 2023- 2024 alone');
    expect(joinPdfLines(['a dash -', 'then more'])).toBe('a dash - then more');
  });

  it('joins Chinese lines without a space, punctuation and quotes included, and other lines with one', () => {
    expect(joinPdfLines(['中国与中亚五国的贸易额', '继续增长。'])).toBe('中国与中亚五国的贸易额继续增长。');
    expect(joinPdfLines(['他说：', '“铁路', '将在二〇二六年通车”', '。'])).toBe('他说：“铁路将在二〇二六年通车”。');
    expect(joinPdfLines(['Khorgos', '霍尔果斯'])).toBe('Khorgos 霍尔果斯');
    expect(joinPdfLines(['two', '', 'lines'])).toBe('two lines');
  });

  it('reads headings from larger type, drops page numbers, and splits paragraphs at a larger gap', () => {
    const page1 = [run('Report title', 760, 20), run('Trade', 730, 14), run('First line of a', 710), run('paragraph.', 698), run('Another paragraph.', 680), run('1', 40)];
    const page2 = [run('Rail', 760, 14), run('Only paragraph here.', 740), run('Page 2 of 2', 40)];
    const document = pdfDocument([page1, page2], 'x.pdf', null);
    expect(document.title).toBe('x');
    expect(document.passages.map((p) => [p.text, p.section])).toEqual([
      ['First line of a paragraph.', 'Trade › p. 1'],
      ['Another paragraph.', 'Trade › p. 1'],
      ['Only paragraph here.', 'Rail › p. 2'],
    ]);
  });

  it('starts a paragraph at an indented first line or after a short line ending a sentence, with no extra spacing', () => {
    const width = (text: string) => text.length * 5;
    const line = (str: string, y: number, x = 50): PdfTextItem => ({ str, x, y, width: width(str), fontSize: 10, hasEOL: true });
    const full = 'x'.repeat(80);
    const page = [
      line(`${full} one`, 700), line(`${full} two`, 688), line('ends here.', 676),
      line(`${full} three`, 664, 65), line(`${full} four`, 652), line(`${full} five.`, 640), line(`${full} six`, 628),
    ];
    expect(pdfDocument([page], 'x.pdf', null).passages.map((p) => p.text.split(' ').filter((w) => !/^x+$/.test(w)).join(' '))).toEqual([
      'one two ends here.',
      'three four five. six',
    ]);
  });

  it('keeps two headings in a row apart, and joins a heading wrapped on two lines', () => {
    const page = [run('Ships', 760, 14), run('Service', 730, 14), run('Text under the service heading.', 710), run('A long heading that', 680, 14), run('wraps', 664, 14), run('Text under the long heading.', 640)];
    expect(pdfDocument([page], 'x.pdf', null).passages.map((p) => p.section)).toEqual(['Service › p. 1', 'A long heading that wraps › p. 1']);
  });

  it('judges Chinese and Latin line spacing each by its own, on one page', () => {
    const page = [
      run('Latin line one of a', 700), run('paragraph that goes on.', 688), run('Next Latin paragraph.', 670),
      run('中文段落的第一行文字', 640), run('接着是第二行文字', 622), run('然后是第三行文字', 604), run('最后是第四行文字。', 586), run('另一个中文段落。', 560),
    ];
    expect(pdfDocument([page], 'x.pdf', null).passages.map((p) => p.text)).toEqual([
      'Latin line one of a paragraph that goes on.', 'Next Latin paragraph.', '中文段落的第一行文字接着是第二行文字然后是第三行文字最后是第四行文字。', '另一个中文段落。',
    ]);
  });

  it('drops running heads and feet repeated on most pages, and page numbers', () => {
    const page = (n: number, text: string) => [run('Dry Ports Review 2024 · Chapter 1', 780, 8), run(text, 700), run(`Confidential draft ${n}`, 40, 8), run(String(n), 28, 8)];
    const document = pdfDocument([page(1, 'First page text.'), page(2, 'Second page text.'), page(3, 'Third page text.')], 'x.pdf', null);
    expect(document.passages.map((p) => [p.text, p.section])).toEqual([
      ['First page text.', 'p. 1'],
      ['Second page text.', 'p. 2'],
      ['Third page text.', 'p. 3'],
    ]);
  });

  it('gives "p. N" alone when the PDF has no headings', () => {
    const document = pdfDocument([[run('Just text.', 700)], [], [run('More text.', 700)]], 'plain.pdf', 'Plain notes');
    expect(document.passages.map((p) => [p.text, p.section, p.title])).toEqual([
      ['Just text.', 'p. 1', 'Plain notes'],
      ['More text.', 'p. 3', 'Plain notes'],
    ]);
  });
});

describe('sensiblePdfTitle', () => {
  it('keeps a real title and refuses placeholders, file names and junk', () => {
    expect(sensiblePdfTitle('  Dry Ports of the Silk Road  ')).toBe('Dry Ports of the Silk Road');
    expect(sensiblePdfTitle('Microsoft Word - Annual Review')).toBe('Annual Review');
    expect(sensiblePdfTitle('中亚贸易简报')).toBe('中亚贸易简报');
    for (const junk of [null, '', '   ', 'Untitled', 'untitled', 'Microsoft Word - report.docx', 'report_final.pdf', 'Document1', '12345', 'x'.repeat(201)]) {
      expect(sensiblePdfTitle(junk)).toBeNull();
    }
  });
});

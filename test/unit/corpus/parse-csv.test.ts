import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/corpus/parse-csv.ts';

const passages = (text: string, file = 'news.csv') => parseCsv(text, file).documents.flatMap((d) => d.passages);

describe('parseCsv', () => {
  it('makes one passage a row, its source from the title, publisher, date, section and url columns', () => {
    const csv = [
      'Title,Source,Date,Section,URL,Text',
      'Rail links,Example Daily,2025-06-01,Projects,https://example.com/rail,The railway will link Kashgar and Andijan.',
      '中亚峰会,人民日报,2025-06-22,要点,,第二届中国—中亚峰会取得110项合作成果。',
    ].join('\n');
    const { documents, warnings } = parseCsv(csv, 'news.csv');
    expect(warnings).toEqual([]);
    expect(documents).toHaveLength(2);
    expect(documents[0]!.passages[0]).toMatchObject({
      id: 'news.csv#2',
      docId: 'news.csv#2',
      text: 'The railway will link Kashgar and Andijan.',
      title: 'Rail links',
      publisher: 'Example Daily',
      date: '2025-06-01',
      section: 'Projects',
      url: 'https://example.com/rail',
      lang: 'en',
      file: 'news.csv',
    });
    expect(documents[1]!.passages[0]).toMatchObject({ text: '第二届中国—中亚峰会取得110项合作成果。', publisher: '人民日报', url: null, lang: 'zh' });
  });

  it.each(['content', 'BODY', 'passage', 'Summary', '正文'])('finds the text column named %s', (name) => {
    expect(passages(`id,${name},title\n7,The passage text.,T\n`)).toMatchObject([{ id: '7', text: 'The passage text.', title: 'T' }]);
  });

  it('takes the column with the most text when no header names one, and the file name as title', () => {
    expect(passages('code,words,n\nA1,A long piece of writing about rail links.,3\nB2,Another long piece of writing.,4\n', 'dir/rail-notes.csv')).toMatchObject([
      { text: 'A long piece of writing about rail links.', title: 'rail notes' },
      { text: 'Another long piece of writing.', title: 'rail notes' },
    ]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks, and numbers rows by their first line', () => {
    const csv = 'title,text\n"Rail, road","He said ""soon"".\nA second line."\nNext,After the multi-line row.\n';
    expect(passages(csv)).toMatchObject([
      { id: 'news.csv#2', title: 'Rail, road', text: 'He said "soon". A second line.' },
      { id: 'news.csv#4', title: 'Next', text: 'After the multi-line row.' },
    ]);
  });

  it('skips a row with the wrong number of fields, naming its line, and loads the rest', () => {
    const { documents, warnings } = parseCsv('title,text\nA,First.\nB,Second,extra\nC\nD,Fourth.\n', 'f.csv');
    expect(documents.map((d) => d.title)).toEqual(['A', 'D']);
    expect(warnings).toEqual([
      { file: 'f.csv', line: 3, message: 'row skipped: wrong number of fields' },
      { file: 'f.csv', line: 4, message: 'row skipped: wrong number of fields' },
    ]);
  });

  it('skips a row whose quote is never closed, naming its line, and reads the rows after it', () => {
    const { documents, warnings } = parseCsv('title,text\nA,First.\nB,"Unclosed, and on\n\nC,Third.\nD,Fourth.\n', 'f.csv');
    expect(warnings).toEqual([{ file: 'f.csv', line: 3, message: 'row skipped: a quote is opened and never closed' }]);
    expect(documents.map((d) => [d.title, d.passages[0]!.id])).toEqual([
      ['A', 'f.csv#2'],
      ['C', 'f.csv#5'],
      ['D', 'f.csv#6'],
    ]);
  });

  it('skips a row without text, and reads semicolon- and tab-separated files', () => {
    expect(parseCsv('title,text\nA,\nB,Text.\n', 'f.csv')).toMatchObject({
      documents: [{ title: 'B' }],
      warnings: [{ file: 'f.csv', line: 2, message: 'row skipped: no text in column "text"' }],
    });
    expect(passages('titel;text;datum\nA;Eins, zwei.;2025\n')).toMatchObject([{ title: 'news', text: 'Eins, zwei.' }]);
    expect(passages('title\ttext\nA\tTabbed text.\n')).toMatchObject([{ title: 'A', text: 'Tabbed text.' }]);
  });

  it('reads CRLF line ends, and gives up on a header whose quote is never closed', () => {
    expect(passages('title,text\r\nA,"Two\r\nlines."\r\nB,One.\r\n')).toMatchObject([
      { id: 'news.csv#2', text: 'Two lines.' },
      { id: 'news.csv#4', text: 'One.' },
    ]);
    expect(parseCsv('title,"text\nA,B\n', 'f.csv')).toEqual({ documents: [], warnings: [{ file: 'f.csv', line: 1, message: 'row skipped: a quote is opened and never closed' }] });
  });

  it('returns nothing for an empty file or a header alone', () => {
    expect(parseCsv('', 'f.csv')).toEqual({ documents: [], warnings: [] });
    expect(parseCsv('title,text\n', 'f.csv')).toEqual({ documents: [], warnings: [] });
  });
});

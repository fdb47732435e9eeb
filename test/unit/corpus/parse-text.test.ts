import { describe, expect, it } from 'vitest';
import { joinLines, parseText } from '../../../src/corpus/parse-text.ts';
import { MAX_PASSAGE_CHARS } from '../../../src/corpus/split.ts';

describe('parseText', () => {
  it('makes one passage per paragraph, joining its lines', () => {
    const { documents, warnings } = parseText('First line\nsecond line.\n\n\nNext paragraph.\n', 'notes.txt', 'notes.txt');
    expect(warnings).toEqual([]);
    expect(documents[0]?.passages.map((p) => p.text)).toEqual(['First line second line.', 'Next paragraph.']);
  });

  it('reads Windows line endings', () => {
    const { documents } = parseText('One\r\ntwo.\r\n\r\nThree.', 'w.txt', 'w.txt');
    expect(documents[0]?.passages.map((p) => p.text)).toEqual(['One two.', 'Three.']);
  });

  it('joins Chinese lines without a space and labels the language', () => {
    const { documents } = parseText('第一行\n第二行。\n\nEnglish line.', 'mixed.txt', 'mixed.txt');
    expect(documents[0]?.passages.map((p) => [p.text, p.lang])).toEqual([
      ['第一行第二行。', 'zh'],
      ['English line.', 'en'],
    ]);
  });

  it('titles the document after its file name and has no other attribution', () => {
    const { documents } = parseText('Text.', 'notes/my-notes_v2.txt', 'notes/my-notes_v2.txt');
    expect(documents[0]).toMatchObject({ id: 'notes/my-notes_v2.txt', title: 'my notes v2', publisher: null, date: null, url: null, topic: null });
    expect(documents[0]?.passages[0]).toMatchObject({ id: 'notes/my-notes_v2.txt#1', title: 'my notes v2', section: null, file: 'notes/my-notes_v2.txt' });
  });

  it('returns no document for blank text', () => {
    expect(parseText('\n  \n\n', 'blank.txt', 'blank.txt').documents).toEqual([]);
  });

  it('splits a long Chinese paragraph into passages of at most MAX_PASSAGE_CHARS', () => {
    const paragraph = '中国与中亚国家合作不断深化。'.repeat(60);
    const passages = parseText(paragraph, 'zh.txt', 'zh.txt').documents[0]?.passages ?? [];
    expect(passages.length).toBeGreaterThan(1);
    for (const p of passages) expect(p.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    expect(passages.map((p) => p.text).join('')).toBe(paragraph);
  });
});

describe('joinLines', () => {
  it('joins after Chinese punctuation without a space, and Latin lines with one', () => {
    expect(joinLines(['你好，', '世界', ' hello ', 'world'])).toBe('你好，世界 hello world');
  });
});

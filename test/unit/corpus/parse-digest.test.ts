import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDigest, parseDigest, parseSummary } from '../../../src/corpus/parse-digest.ts';
import type { Document } from '../../../src/corpus/types.ts';

const FILE = 'china-central-asia-common-modernization-digest.txt';
const SHIPPED = readFileSync(fileURLToPath(new URL(`../../../data/${FILE}`, import.meta.url)), 'utf8');

/** Sections of a document's passages, in order. */
const sections = (document: Document | undefined) => document?.passages.map((p) => p.section);

describe('parseDigest on the shipped digest', () => {
  const { documents, warnings } = parseDigest(SHIPPED, FILE, FILE);
  const [first, second] = documents;
  const passages = documents.flatMap((d) => d.passages);

  it('recognises the file as a digest', () => {
    expect(isDigest(SHIPPED)).toBe(true);
  });

  it('reads exactly two articles and 22 passages, without warnings', () => {
    expect(warnings).toEqual([]);
    expect(documents).toHaveLength(2);
    expect(first?.passages).toHaveLength(9);
    expect(second?.passages).toHaveLength(13);
    expect(passages).toHaveLength(22);
  });

  it('reads publisher, date with time and title of each article', () => {
    expect(first).toMatchObject({
      title: '以高质量发展推进共同现代化(和音)——始终秉持并不断发扬光大“中国—中亚精神”④',
      publisher: 'Ren Min Ri Bao',
      date: '2025-06-22 22:09',
    });
    expect(second).toMatchObject({
      title: '新华述评丨时代的呼唤 历史的必然——深刻领悟“中国—中亚精神”的宏阔意涵',
      publisher: 'Xin Hua Wang',
      date: '2025-06-20 02:11',
    });
  });

  it('copies the article attribution onto each of its passages', () => {
    for (const document of documents) {
      for (const passage of document.passages) {
        expect(passage).toMatchObject({
          docId: document.id,
          title: document.title,
          publisher: document.publisher,
          date: document.date,
          file: FILE,
        });
      }
    }
  });

  it('gives every passage a distinct id within its document', () => {
    const ids = passages.map((p) => p.id);
    expect(new Set(ids).size).toBe(22);
    expect(first?.passages[0]?.id).toBe(`${first?.id}#1`);
  });

  it('names every section of the first article, in order', () => {
    expect(sections(first)).toEqual([
      ...Array(3).fill('Core Points'),
      ...Array(3).fill('Group 1'),
      ...Array(3).fill('Group 2'),
    ]);
  });

  it('names every section of the second article, in order', () => {
    expect(sections(second)).toEqual([
      'Core Viewpoint',
      'Historical Context',
      'Historical Context',
      'Political Trust and Security Cooperation',
      'Political Trust and Security Cooperation',
      'Economic Cooperation and Development',
      'Economic Cooperation and Development',
      'Response to Global Crises',
      'Future Outlook',
      'Future Outlook',
      'Mechanisms for Cooperation',
      'Global Implications',
      'Global Implications',
    ]);
  });

  it('parses the paragraph references of every bullet', () => {
    expect(first?.passages.map((p) => p.refs)).toEqual([[1, 3], [2], [2], [1], [1], [2], [3], [3], [3]]);
    expect(second?.passages.map((p) => p.refs)).toEqual([
      [1, 5, 12], [2], [2], [3], [3], [3], [3], [4], [5, 6], [7], [9], [10, 12], [11],
    ]);
  });

  it('removes references and bullet marks from the passage text', () => {
    for (const passage of passages) {
      expect(passage.text).not.toMatch(/\[\d/);
      expect(passage.text).not.toMatch(/^-/);
      expect(passage.text).toBe(passage.text.trim());
    }
    expect(first?.passages[0]?.text).toBe(
      'China aims to provide more development opportunities to countries worldwide, including Central Asian nations, through high-quality development and high-level openness',
    );
    expect(second?.passages[0]?.text).toBe(
      'The "China-Central Asia Spirit" emphasizes mutual respect, trust, benefit, and assistance, aiming for high-quality development and common modernization among China and Central Asian countries',
    );
  });

  it('does not put a section name into the text of the bullet that follows it', () => {
    const names = new Set(passages.map((p) => p.section));
    for (const passage of passages) {
      for (const name of names) expect(passage.text.startsWith(`${name} `)).toBe(false);
    }
  });

  it('tags every passage with the topic line and English', () => {
    for (const passage of passages) {
      expect(passage.topic).toBe('共同现代化');
      expect(passage.lang).toBe('en');
    }
  });
});

describe('parseDigest on synthetic digests', () => {
  const digest = (...lines: string[]) => ['主题', 'Search documents', ...lines].join('\n');

  it('keeps passages of a repeated section name apart', () => {
    const { documents } = parseDigest(
      digest('Title', 'Pub· 2025-01-01 10:00', 'Group 1 - a one [1] - b two [2] Group 2 - c three [3] Group 1 - d four [4]'),
      'r.txt',
      'r.txt',
    );
    const passages = documents[0]?.passages ?? [];
    expect(passages.map((p) => [p.section, p.text, p.refs])).toEqual([
      ['Group 1', 'a one', [1]],
      ['Group 1', 'b two', [2]],
      ['Group 2', 'c three', [3]],
      ['Group 1', 'd four', [4]],
    ]);
    // Two separate runs of "Group 1", not merged into one group.
    const runs = passages.reduce<string[]>((acc, p) => (acc.at(-1) === p.section ? acc : [...acc, p.section ?? '']), []);
    expect(runs).toEqual(['Group 1', 'Group 2', 'Group 1']);
  });

  it('skips an article without a publisher line, names the file and line, and still loads the next ones', () => {
    const text = ['topic', '', 'Search documents', 'Title A', 'Core Points - x [1]', 'Title B', 'Pub B· 2025-01-02 10:00', 'Core Points - y [1] - z [2]', 'Title C', 'Pub C· 2025-01-03', 'S - w [1]'].join('\n');
    const { documents, warnings } = parseDigest(text, 'bad.txt', 'bad.txt');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: 'bad.txt', line: 4 });
    expect(warnings[0]?.message).toMatch(/skipped/);
    expect(documents.map((d) => [d.title, d.publisher, d.date, d.passages.map((p) => p.text)])).toEqual([
      ['Title B', 'Pub B', '2025-01-02 10:00', ['y', 'z']],
      ['Title C', 'Pub C', '2025-01-03', ['w']],
    ]);
  });

  // BUG (src/corpus/parse-digest.ts): an article whose summary line is missing is not skipped; the
  // next article's title is read as its summary (one bullet, section null) and the next article,
  // though well-formed, is lost with a warning on its publisher line.
  it('skips an article without a summary line and still loads the next one', () => {
    const text = digest('Title A', 'Pub A· 2025-01-01 09:00', 'Title B', 'Pub B· 2025-01-02 10:00', 'Core Points - y [1] - z [2]');
    const { documents, warnings } = parseDigest(text, 'nosum.txt', 'nosum.txt');
    expect(warnings.length).toBeGreaterThan(0);
    expect(documents.flatMap((d) => d.passages).map((p) => p.text)).not.toContain('Title B');
    expect(documents.find((d) => d.title === 'Title B')?.passages.map((p) => p.text)).toEqual(['y', 'z']);
  });

  it('keeps " - " inside a bullet as part of its text', () => {
    const { documents } = parseDigest(
      digest('Title', 'Pub· 2025-01-01', 'Core Points - The China - Central Asia summit met [1] - Trade - and more - grew [2][3].'),
      'd.txt',
      'd.txt',
    );
    expect(documents[0]?.passages.map((p) => [p.section, p.text, p.refs])).toEqual([
      ['Core Points', 'The China - Central Asia summit met', [1]],
      ['Core Points', 'Trade - and more - grew', [2, 3]],
    ]);
  });

  it('reads a date without a time', () => {
    const { documents } = parseDigest(digest('Title', 'Some Press· 2024-12-31', 'S - a [1]'), 'd.txt', 'd.txt');
    expect(documents[0]).toMatchObject({ publisher: 'Some Press', date: '2024-12-31' });
  });

  it('numbers document ids after the id prefix', () => {
    const { documents } = parseDigest(
      digest('T1', 'P· 2024-01-01', 'S - a [1]', 'T2', 'P· 2024-01-02', 'S - b [1]'),
      'x.txt',
      'news/x.txt',
    );
    expect(documents.map((d) => d.id)).toEqual(['news/x.txt:1', 'news/x.txt:2']);
    expect(documents[1]?.passages[0]?.id).toBe('news/x.txt:2#1');
  });

  it('is not fooled into reading plain text as a digest', () => {
    expect(isDigest('Just a note.\n\nAnother paragraph.')).toBe(false);
    expect(isDigest(digest('T', 'P· 2024-01-01', 'S - a [1]'))).toBe(true);
  });
});

describe('parseSummary', () => {
  it('parses a run of references into numbers', () => {
    expect(parseSummary('Core - text [1][5][12].')).toEqual([{ section: 'Core', text: 'text', refs: [1, 5, 12] }]);
  });

  it('keeps a trailing bullet without references', () => {
    expect(parseSummary('Core - a [1] - b without refs')).toEqual([
      { section: 'Core', text: 'a', refs: [1] },
      { section: 'Core', text: 'b without refs', refs: [] },
    ]);
  });
});

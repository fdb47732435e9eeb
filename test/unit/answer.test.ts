import { describe, expect, it } from 'vitest';
import { answerQuestion, MAX_QUESTION_CHARS, normalizeQuestion, sourceParts } from '../../src/answer.ts';
import { buildIndex } from '../../src/search/search-index.ts';
import { passageOf } from '../support/passage.ts';

const passage = passageOf;

const index = buildIndex(
  Array.from({ length: 5 }, (_, i) => passage(`p${i + 1}`, `The railway number ${i + 1} carries freight${' and freight'.repeat(i)}.`)),
);

describe('normalizeQuestion', () => {
  it('collapses whitespace and control characters and trims', () => {
    expect(normalizeQuestion('  what\tabout\u0000the\u200brailway\n? ')).toBe('what about the railway ?');
  });

  it('caps a long question', () => {
    expect(normalizeQuestion('x'.repeat(MAX_QUESTION_CHARS + 50))).toHaveLength(MAX_QUESTION_CHARS);
  });
});

describe('answerQuestion', () => {
  it('returns one page of hits and the total', () => {
    const all = answerQuestion(index, 'railway freight', { limit: 100 });
    expect(all.total).toBe(5);
    const page = answerQuestion(index, 'railway freight', { limit: 2, offset: 2 });
    expect(page).toMatchObject({ query: 'railway freight', offset: 2, total: 5 });
    expect(page.hits.map((h) => h.passage.id)).toEqual(all.hits.slice(2, 4).map((h) => h.passage.id));
  });

  it('returns at most three hits by default', () => {
    expect(answerQuestion(index, 'railway freight').hits).toHaveLength(3);
  });

  it('answers a blank question with nothing', () => {
    expect(answerQuestion(index, ' \n\t ')).toEqual({ query: '', hits: [], offset: 0, total: 0 });
  });
});

describe('sourceParts', () => {
  it('lists title, publisher, date, section and references in reading order, skipping blanks', () => {
    expect(sourceParts(passage('a', 'x', { title: 'T', publisher: 'P', date: '2025-06-20 02:11', section: 'S', refs: [1, 5] }))).toEqual([
      'T', 'P', '2025-06-20 02:11', 'S', '¶ 1, 5',
    ]);
    expect(sourceParts(passage('b', 'x', { title: 'T', section: 'S' }))).toEqual(['T', 'S']);
  });

  it('names an untitled document (a JSON Lines record without "title") after its file', () => {
    expect(sourceParts(passage('c', 'x', { file: 'news/rail_notes-2025.jsonl', publisher: 'P' }))).toEqual(['rail notes 2025', 'P']);
    expect(sourceParts(passage('d', 'x', { file: 'notes.jsonl', title: '' }))).toEqual(['notes']);
  });
});

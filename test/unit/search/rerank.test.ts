import { describe, expect, it } from 'vitest';
import type { Passage } from '../../../src/corpus/types.ts';
import { dateRangeOf, preferPhrase, preferRecent } from '../../../src/search/rerank.ts';

const dated = (date: string | null): Passage => ({
  id: date ?? 'undated',
  docId: 'doc',
  text: 'text',
  title: null,
  publisher: null,
  date,
  section: null,
  refs: [],
  url: null,
  topic: null,
  lang: 'en',
  file: 'fixture.txt',
});

describe('dateRangeOf', () => {
  it('spans the oldest to the newest day, ignoring undated passages and unreadable dates', () => {
    const range = dateRangeOf([dated('2024-05-01 10:00'), dated(null), dated('not a date'), dated('2024-13-45'), dated('2023-05-01')]);
    expect(range).toEqual({ oldest: Date.UTC(2023, 4, 1), newest: Date.UTC(2024, 4, 1) });
  });

  it('is null when there are fewer than two different days', () => {
    expect(dateRangeOf([dated('2024-05-01'), dated('2024-05-01 18:30'), dated(null)])).toBeNull();
    expect(dateRangeOf([])).toBeNull();
  });
});

describe('preferRecent', () => {
  const passages = [dated('2023-01-01'), dated('2024-01-01'), dated(null)];
  const range = dateRangeOf(passages);

  it('lets the newer of two near-equal hits go first, by at most 2 %', () => {
    const ranked = preferRecent([{ doc: 0, score: 100 }, { doc: 1, score: 99 }, { doc: 2, score: 98 }], passages, range);
    expect(ranked.map((hit) => hit.doc)).toEqual([1, 0, 2]);
    expect(ranked[0]!.score).toBeCloseTo(99 * 1.02);
    expect(ranked[1]!.score).toBe(100);
  });

  it('keeps a clearly better older hit first, and changes nothing without a date range', () => {
    expect(preferRecent([{ doc: 0, score: 100 }, { doc: 1, score: 90 }], passages, range).map((hit) => hit.doc)).toEqual([0, 1]);
    const hits = [{ doc: 2, score: 1 }, { doc: 0, score: 2 }];
    expect(preferRecent(hits, passages, null)).toBe(hits);
  });
});

describe('preferPhrase', () => {
  const texts = (...list: string[]) => list.map((text, i) => ({ ...dated(null), id: String(i), text }));

  it("puts the passage with the question's words in its order before one with the same words scattered", () => {
    const passages = texts('The test began with the plugs out; a plugs check came later.', 'The plugs-out test began on January 27.');
    const ranked = preferPhrase([{ doc: 0, score: 100 }, { doc: 1, score: 90 }], passages, 'When did the plugs-out test begin?');
    expect(ranked.map((hit) => hit.doc)).toEqual([1, 0]);
    // "when did" is not in passage 1; "the plugs out test" (4 of the question's 7 words) is
    expect(ranked[0]!.score).toBeCloseTo(90 * (1 + (3 * 4) / 7));
  });

  it('lets the last word of a run begin a longer one (defeat → defeated)', () => {
    const passages = texts('Defeat came late for Denver.', 'The Broncos defeated the Steelers.');
    const ranked = preferPhrase([{ doc: 0, score: 100 }, { doc: 1, score: 90 }], passages, 'Whom did the Broncos defeat');
    expect(ranked.map((hit) => hit.doc)).toEqual([1, 0]);
    expect(ranked[0]!.score).toBeCloseTo(90 * (1 + (3 * 3) / 5));
  });

  it('leaves questions without Latin words, and hits after the first ten, as they are', () => {
    const passages = texts(...Array.from({ length: 12 }, (_, i) => (i === 11 ? 'exact phrase here' : 'other words')));
    const hits = passages.map((_, doc) => ({ doc, score: 100 - doc }));
    expect(preferPhrase(hits, passages, '谁赢得了比赛？')).toEqual(hits);
    expect(preferPhrase(hits, passages, 'exact phrase here').map((hit) => hit.doc)).toEqual(hits.map((hit) => hit.doc));
  });
});

import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/search/search-index.ts';
import { cropSegments, type Segment } from '../../../src/search/snippet.ts';
import { MAX_TERM_CHARS, processTerm, tokenize } from '../../../src/search/tokenize.ts';
import { NO_TRANSLATION } from '../../../src/search/translate.ts';
import type { Passage } from '../../../src/corpus/types.ts';

const letters = (n: number) => Array.from({ length: n }, (_, i) => 'abcdefghij'[(i * 7) % 10]).join('');

describe('long terms', () => {
  it('a 50,000-letter word becomes a term of at most MAX_TERM_CHARS, unstemmed', () => {
    const word = `${letters(50_000)}s`;
    const term = processTerm(word)!;
    expect(term.length).toBe(MAX_TERM_CHARS);
    expect(word.startsWith(term)).toBe(true);
    expect(processTerm('𝒜'.repeat(100))!.length).toBeLessThanOrEqual(MAX_TERM_CHARS); // never half a pair
    expect(processTerm('𝒜'.repeat(100))).not.toMatch(/[\uD800-\uDFFF]/u);
  });

  it('ordinary words are stemmed as before', () => {
    expect(processTerm('railways')).toBe(processTerm('railway'));
  });

  it('a passage with a very long word is found by that word', () => {
    const word = letters(5_000);
    const passage: Passage = {
      id: 'p', docId: 'p', text: `zqx ${word} end`, title: null, publisher: null, date: null, section: null,
      refs: [], url: null, topic: null, lang: 'en', file: 'p.txt',
    };
    const index = buildIndex([passage], NO_TRANSLATION);
    expect(index.search(word, { gate: false }).map((h) => h.passage.id)).toEqual(['p']);
    expect(tokenize(passage.text)).toHaveLength(3);
  });
});

describe('cropSegments', () => {
  /** The window choice as it was first written (quadratic): the reference for the linear one. */
  function densestStart(matches: number[], maxChars: number): number {
    let best = -1;
    let bestStart = 0;
    for (const m of matches) {
      const start = Math.max(0, m - Math.floor(maxChars / 4));
      const count = matches.filter((x) => x >= start && x < start + maxChars).length;
      if (count > best) [best, bestStart] = [count, start];
    }
    return bestStart;
  }

  it('keeps the window with the most matches, as counting each window anew would', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 50; round++) {
      const segments: Segment[] = [];
      const matches: number[] = [];
      let pos = 0;
      for (let i = 0; i < 200; i++) {
        const text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => 'abcdefgh'[Math.floor(random() * 8)]).join('');
        const match = random() < 0.3;
        if (match) matches.push(pos);
        segments.push({ text, match });
        pos += text.length;
      }
      const full = segments.map((s) => s.text).join('');
      const maxChars = 50 + Math.floor(random() * 300);
      const shown = cropSegments(segments, maxChars).filter((s) => s.text !== '…').map((s) => s.text).join('');
      // No spaces, so the cut is not moved to one: the crop starts exactly at the densest window.
      const expectedStart = Math.min(densestStart(matches, maxChars), pos - maxChars);
      expect(full.slice(expectedStart, expectedStart + shown.length)).toBe(shown);
      expect(shown.length).toBe(maxChars);
    }
  });
});

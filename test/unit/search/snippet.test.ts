import { describe, expect, it } from 'vitest';
import { cropSegments, highlight, SNIPPET_CHARS, type Segment } from '../../../src/search/snippet.ts';
import { processTerm } from '../../../src/search/tokenize.ts';

const marked = (segments: Segment[]) => segments.filter((s) => s.match).map((s) => s.text);
const joined = (segments: Segment[]) => segments.map((s) => s.text).join('');
const LONE_SURROGATE = /[\uD800-\uDFFF]/u; // with the u flag only an unpaired half matches

describe('highlight', () => {
  it('marks matched words whatever their case or inflection', () => {
    const text = 'Railways and the RAILWAY line; rail only.';
    const segments = highlight(text, [processTerm('railway')!]);
    expect(marked(segments)).toEqual(['Railways', 'RAILWAY']);
    expect(joined(segments)).toBe(text);
  });

  it('merges adjacent Han bigrams into one marked run', () => {
    expect(highlight('中吉乌铁路项目进展顺利', ['中吉', '吉乌', '乌铁', '铁路'])).toEqual([
      { text: '中吉乌铁路', match: true },
      { text: '项目进展顺利', match: false },
    ]);
  });

  it('marks the original full-width characters', () => {
    expect(marked(highlight('Ｒailways here', [processTerm('railway')!]))).toEqual(['Ｒailways']);
  });

  it('marks nothing when no term matches, and keeps the text', () => {
    expect(highlight('Nothing to see.', ['railwai'])).toEqual([{ text: 'Nothing to see.', match: false }]);
  });
});

describe('cropSegments', () => {
  const filler = (from: number, n: number) => Array.from({ length: n }, (_, i) => `word${from + i}`).join(' ');
  const terms = [processTerm('railway')!, processTerm('grant')!];

  it('returns short text whole', () => {
    const segments = highlight('short railway text', terms);
    expect(cropSegments(segments)).toEqual(segments);
  });

  it('keeps the densest window of matches within the limit, marking both cuts with "…"', () => {
    const text = `railway ${filler(0, 60)} ${'railway grant railway '.repeat(4)}${filler(100, 80)}`;
    const cropped = cropSegments(highlight(text, terms), 200);
    expect(cropped[0]).toEqual({ text: '…', match: false });
    expect(cropped.at(-1)).toEqual({ text: '…', match: false });
    // The end cut may keep the space it snapped to; the words themselves stay within the limit.
    expect(joined(cropped.slice(1, -1)).trimEnd().length).toBeLessThanOrEqual(200);
    // All twelve matches of the dense run, not the lone one at the start.
    expect(marked(cropped)).toHaveLength(12);
    expect(text).toContain(joined(cropped.slice(1, -1)));
  });

  it('marks only the end when the densest window starts the text', () => {
    const text = `${'railway grant '.repeat(5)}${filler(0, 100)}`;
    const cropped = cropSegments(highlight(text, terms), 120);
    expect(cropped[0]?.text).not.toBe('…');
    expect(cropped.at(-1)).toEqual({ text: '…', match: false });
    expect(marked(cropped)).toHaveLength(10);
  });

  it('uses SNIPPET_CHARS by default', () => {
    const text = `${filler(0, 100)} railway ${filler(200, 100)}`;
    const cropped = cropSegments(highlight(text, terms));
    expect(joined(cropped.filter((s) => s.text !== '…')).trimEnd().length).toBeLessThanOrEqual(SNIPPET_CHARS);
    expect(marked(cropped)).toEqual(['railway']);
  });

  it('never splits a surrogate pair at either cut', () => {
    for (let pad = 0; pad < 4; pad++) {
      for (let limit = 40; limit < 46; limit++) {
        for (const at of [10, 100, 290]) {
          const text = 'x'.repeat(pad) + '😀'.repeat(at) + '铁路' + '😀'.repeat(300 - at);
          const cropped = cropSegments(highlight(text, ['铁路']), limit);
          for (const segment of cropped) expect(segment.text).not.toMatch(LONE_SURROGATE);
          expect(joined(cropped.filter((s) => s.text !== '…')).length).toBeLessThanOrEqual(limit);
          expect(marked(cropped)).toEqual(['铁路']);
        }
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlToPlainText, toWellFormed, truncateHtml, visibleLength } from '../../../src/telegram/render/html.ts';

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

describe('toWellFormed', () => {
  it('replaces unpaired halves with U+FFFD and keeps pairs', () => {
    expect(toWellFormed('a\uD83Db\uDE00c😀')).toBe('a\uFFFDb\uFFFDc😀');
    expect(toWellFormed('\uDE00\uD83D')).toBe('\uFFFD\uFFFD'); // reversed halves are not a pair
    expect(toWellFormed('plain')).toBe('plain');
  });
});

describe('truncateHtml', () => {
  const html = `<b>1.</b> ${escapeHtml('gas & oil <volumes> ')}<b>pipeline</b> 😀😀 ${'word '.repeat(50)}\n<i>— <a href="https://example.org/?a=1&amp;b=2">Title</a> · Press</i>`;

  it('holds the visible length, ends in "…" and closes every tag it left open', () => {
    for (const max of [5, 12, 25, 26, 27, 40, 100]) {
      const cut = truncateHtml(html, max);
      expect(visibleLength(cut)).toBeLessThanOrEqual(max);
      expect(cut.endsWith('…') || /…(<\/[a-z]+>)+$/.test(cut)).toBe(true);
      const opened = [...cut.matchAll(/<([a-z]+)[ >]/g)].length;
      const closed = [...cut.matchAll(/<\/[a-z]+>/g)].length;
      expect(closed).toBe(opened);
      expect(htmlToPlainText(cut)).not.toMatch(LONE_SURROGATE);
      expect(cut).not.toMatch(/&[a-z]*…/); // never inside an entity
    }
  });

  it('leaves HTML within the limit as it is', () => {
    expect(truncateHtml(html, visibleLength(html))).toBe(html);
  });
});

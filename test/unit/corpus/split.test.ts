import { describe, expect, it } from 'vitest';
import { MAX_PASSAGE_CHARS, splitParagraph, splitSentences } from '../../../src/corpus/split.ts';

describe('splitSentences', () => {
  it('splits at Chinese 。！？ and keeps the punctuation', () => {
    expect(splitSentences('他来了。你呢？好！')).toEqual(['他来了。', '你呢？', '好！']);
  });

  it('keeps a closing quote with the sentence it ends', () => {
    expect(splitSentences('他说：“好。”然后走了。')).toEqual(['他说：“好。”', '然后走了。']);
  });

  it('splits English at . ! ? followed by a space', () => {
    expect(splitSentences('What? Yes! No. Fine')).toEqual(['What?', 'Yes!', 'No.', 'Fine']);
  });

  // BUG (src/corpus/split.ts, SENTENCE regex): a period not followed by a space ("1.5", "U.S") does
  // not match `[^.!?。！？]*`, so matchAll skips those characters: the text before it is dropped.
  // splitSentences('It costs 1.5 billion. Next one.') returns ['5 billion.', 'Next one.'].
  it('keeps a decimal number inside its sentence', () => {
    expect(splitSentences('It costs 1.5 billion. Next one.')).toEqual(['It costs 1.5 billion.', 'Next one.']);
  });
});

describe('splitParagraph', () => {
  it('returns a short paragraph whole, whitespace collapsed', () => {
    expect(splitParagraph('  A short\n paragraph.  ')).toEqual(['A short paragraph.']);
    expect(splitParagraph('   ')).toEqual([]);
  });

  it('splits a long English paragraph at sentence ends, each part within the limit', () => {
    const paragraph = Array(30).fill('The railway links two cities and carries freight every day.').join(' ');
    const parts = splitParagraph(paragraph);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      expect(part).toMatch(/^The .*day\.$/);
    }
    expect(parts.join(' ')).toBe(paragraph);
  });

  it('splits a long Chinese paragraph at 。！？, each part within the limit, losing nothing', () => {
    const paragraph = '中国与中亚国家合作不断深化。双方会继续努力吗？当然！'.repeat(30);
    const parts = splitParagraph(paragraph);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      expect(part).toMatch(/[。！？]$/);
    }
    expect(parts.join('')).toBe(paragraph);
  });

  it('respects a smaller limit', () => {
    const parts = splitParagraph('One two three. Four five six. Seven eight nine.', 20);
    expect(parts).toEqual(['One two three.', 'Four five six.', 'Seven eight nine.']);
  });

  it('cuts a sentence longer than the limit at a space', () => {
    const sentence = Array(300).fill('word').join(' ');
    const parts = splitParagraph(sentence);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      expect(part).toMatch(/^word( word)*$/);
    }
    expect(parts.join(' ')).toBe(sentence);
  });

  it('cuts text without spaces at the limit', () => {
    const parts = splitParagraph('x'.repeat(1300));
    expect(parts.map((p) => p.length)).toEqual([600, 600, 100]);
  });

  // BUG (src/corpus/split.ts): same cause as above; a long paragraph with "1.5" or "U.S" loses text.
  // An 829-character paragraph comes back as 289 characters.
  it('loses no text of a long paragraph with decimal numbers', () => {
    const paragraph = Array(10).fill('China will provide 1.5 billion RMB in grants to the U.S and others over two years.').join(' ');
    expect(splitParagraph(paragraph).join(' ')).toBe(paragraph);
  });
});

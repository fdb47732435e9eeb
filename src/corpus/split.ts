/** Longest passage we keep in one piece; longer paragraphs are split at sentence ends. */
export const MAX_PASSAGE_CHARS = 600;

const SENTENCE = /[^.!?。！？]*(?:[.!?]+(?=\s|$)|[。！？]+[”’」』)）]*|$)/gu;

/** Splits text into sentences, keeping the terminal punctuation (Chinese 。！？ included). */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let carry = '';
  for (const match of text.matchAll(SENTENCE)) {
    const piece = match[0];
    if (!piece) continue;
    carry += piece;
    // A period inside "1.5" or "U.S" is not followed by a space, so the regex keeps it in the run.
    if (/[.!?。！？”’」』)）]\s*$/u.test(carry) || match.index + piece.length >= text.length) {
      if (carry.trim()) sentences.push(carry.trim());
      carry = '';
    }
  }
  if (carry.trim()) sentences.push(carry.trim());
  return sentences;
}

/**
 * Splits a long paragraph into passages of at most `maxChars`, at sentence boundaries, so a
 * passage stays a readable unit; a single sentence longer than that is cut at a space.
 */
export function splitParagraph(text: string, maxChars = MAX_PASSAGE_CHARS): string[] {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= maxChars) return clean ? [clean] : [];
  const parts: string[] = [];
  let current = '';
  const joiner = (a: string, b: string) => (/\p{Script=Han}[。！？]?$/u.test(a) && /^\p{Script=Han}/u.test(b) ? '' : ' ');
  for (const sentence of splitSentences(clean)) {
    for (const piece of cutLong(sentence, maxChars)) {
      if (current && current.length + 1 + piece.length > maxChars) {
        parts.push(current);
        current = piece;
      } else {
        current = current ? current + joiner(current, piece) + piece : piece;
      }
    }
  }
  if (current) parts.push(current);
  return parts;
}

function cutLong(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    let cut = rest.lastIndexOf(' ', maxChars);
    if (cut < maxChars / 2) cut = maxChars;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Longest passage we keep in one piece; longer paragraphs are split at sentence ends. */
export const MAX_PASSAGE_CHARS = 600;

/** Splits text into sentences, keeping the terminal punctuation (Chinese 。！？ included). */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  // A Latin sentence ends at . ! ? followed by white space ("1.5" and "U.S" do not end one);
  // a Chinese one at 。！？ directly; closing quotes or brackets stay with their sentence.
  const end = /(?:[.!?]+[”’"')\]]*(?=\s)|[。！？]+[”’」』)）"]*)/gu;
  let start = 0;
  for (const match of text.matchAll(end)) {
    const stop = match.index + match[0].length;
    const sentence = text.slice(start, stop).trim();
    if (sentence) sentences.push(sentence);
    start = stop;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
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

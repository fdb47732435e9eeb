import { foldHan, foldHanCharacter } from './fold.ts';
import { stemEnglish } from './stem.ts';
import { CHINESE_PARTICLES, CHINESE_STOP_TERMS, ENGLISH_STOP_WORDS } from './stopwords.ts';

/** One token of a text: its search term and where it stands, so matches can be highlighted. */
export interface Token {
  /** Normalised form before stop-word removal and stemming (a Han bigram, or a lowercased word). */
  word: string;
  /** Offsets into the original string (UTF-16 code units). */
  start: number;
  end: number;
  han: boolean;
}

// Letters or digits of any script except Han; Han ideographs separately.
const RUN = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+(?:['’](?:(?!\p{Script=Han})\p{L})+)?)/gu;

/**
 * Splits text into tokens: a run of Han characters becomes overlapping character bigrams (a
 * one-character run stays itself), so Chinese needs no word segmenter and matches any substring
 * of two characters or more; other words are lowercased. Text is NFKC-normalised per character,
 * so full-width forms match half-width ones, and traditional characters fold to simplified, so
 * either script finds the other; offsets still point into the original.
 */
export function tokenizeWithOffsets(text: string): Token[] {
  const { normalized, offsets } = normalizeWithOffsets(text);
  const tokens: Token[] = [];
  for (const match of normalized.matchAll(RUN)) {
    const at = match.index;
    if (match[1]) {
      for (const piece of splitHanRun(match[1], at)) {
        const chars = [...piece.text];
        if (chars.length === 1) {
          tokens.push({ word: piece.text, start: offsets[piece.at]!, end: offsets[piece.at + piece.text.length]!, han: true });
          continue;
        }
        let pos = piece.at;
        for (let i = 0; i + 1 < chars.length; i++) {
          const w = chars[i]! + chars[i + 1]!;
          tokens.push({ word: w, start: offsets[pos]!, end: offsets[pos + w.length]!, han: true });
          pos += chars[i]!.length;
        }
      }
    } else {
      const word = match[0].replace(/’/g, "'");
      tokens.push({ word, start: offsets[at]!, end: offsets[at + match[0].length]!, han: false });
    }
  }
  return tokens;
}

/**
 * Splits text into sentences: after . ! ? ; followed by space, and after 。！？； (Chinese needs no
 * space). Cut only between tokens, so the sentences' tokens are exactly the text's tokens.
 */
export function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?;])\s+|(?<=[。！？；])/u).filter((sentence) => sentence.length > 0);
}

/** The bare terms of a text: what is indexed and searched (with single Han characters added at indexing). */
export function tokenize(text: string): string[] {
  return tokenizeWithOffsets(text).map((t) => t.word);
}

/**
 * The single Han characters of a text's runs of two or more (a one-character run is already a
 * token): indexed beside the bigrams so a one-character query, or a one-character translation
 * (river → 河), finds every passage with that character.
 */
export function hanCharacters(text: string): string[] {
  const characters: string[] = [];
  for (const match of normalizeWithOffsets(text).normalized.matchAll(/\p{Script=Han}+/gu)) {
    for (const piece of splitHanRun(match[0], 0)) {
      const chars = [...piece.text];
      if (chars.length > 1) characters.push(...chars);
    }
  }
  return characters;
}

/**
 * Turns a token into the term we index and search: null for stop words (in either language),
 * English words stemmed (stemEnglish) so "railways" finds "railway" and "won" finds "win".
 */
export function processTerm(word: string): string | null {
  if (CHINESE_STOP_TERMS.has(word)) return null;
  if (isHanTerm(word)) return word;
  if (word.length > MAX_TERM_CHARS) return boundTerm(word);
  const w = word.replace(/'s$/, '');
  if (ENGLISH_STOP_WORDS.has(w) || ENGLISH_STOP_WORDS.has(word)) return null;
  if (/^[a-z]+$/.test(w)) return stemEnglish(w);
  return w;
}

/**
 * Longest term we index or search, in UTF-16 units: far beyond any word (the longest English
 * words have about 45 letters). The stemmer's suffix rules backtrack, so their work grows with
 * the square of a word's length: a 50,000-letter "word" took 18 s to index (issue #15).
 */
export const MAX_TERM_CHARS = 64;

/** A word longer than MAX_TERM_CHARS as a term: its start, unstemmed (never half a surrogate pair). */
function boundTerm(word: string): string {
  const cut = word.slice(0, MAX_TERM_CHARS);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** True for terms made of Han characters (bigrams or single characters). */
export function isHanTerm(term: string): boolean {
  return /^\p{Script=Han}+$/u.test(term);
}

function splitHanRun(run: string, at: number): { text: string; at: number }[] {
  const pieces: { text: string; at: number }[] = [];
  let start = 0;
  for (let i = 0; i <= run.length; i++) {
    if (i === run.length || CHINESE_PARTICLES.test(run[i]!)) {
      if (i > start) pieces.push({ text: run.slice(start, i), at: at + start });
      start = i + 1;
    }
  }
  return pieces;
}

/**
 * NFKC-normalises, lowercases and folds traditional Chinese to simplified (fold.ts) one code
 * point at a time, recording for every position of the result the position in the original, so
 * highlights land on the user's characters.
 */
function normalizeWithOffsets(text: string): { normalized: string; offsets: number[] } {
  let normalized = '';
  const offsets: number[] = [];
  let i = 0;
  for (const ch of text) {
    let n = ch.normalize('NFKC').toLowerCase();
    if (n.charCodeAt(0) >= 0x3400) n = n.length === 1 ? foldHanCharacter(n) : foldHan(n);
    for (let k = 0; k < n.length; k++) offsets.push(i);
    normalized += n;
    i += ch.length;
  }
  offsets.push(i);
  return { normalized, offsets };
}

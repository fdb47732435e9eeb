/**
 * The second stage of ranking: the best hits of the index search, reordered by what they say
 * where (DESIGN.md, "Ranking"). Pure functions of the hits, the postings' sentence index and the
 * passages.
 */
import type { Passage } from '../corpus/types.ts';
import { maskKeyOf } from './accumulator.ts';
import { SENTENCE_END, type Postings } from './postings.ts';

/** Hits reordered by their best sentence: the first few, where the answer is chosen. */
const RERANK_DEPTH = 10;
/** How much a sentence covering the whole question multiplies a hit's score, less one. */
const SENTENCE_FACTOR = 11;
/** A sentence with a number in it counts as covering this much more of a question that asks for a quantity or a date. */
const NUMBER_SENTENCE_BONUS = 0.5;
/**
 * How much more the newest passage's score counts than the oldest's: a tie-break between
 * near-equal answers (users of news corpora expect the newer first), not a ranking by date.
 */
const RECENCY_WEIGHT = 0.02;

/** A hit being ranked: a passage number and its score. */
interface Ranked {
  doc: number;
  score: number;
}

/** What the best-sentence re-scoring needs to know about the question. */
export interface SentenceQuestion {
  /** Index terms derived from the query, and the query slot each stands for. */
  derived: readonly { id: number; slot: number }[];
  /** Coverage of the question by a set of matched slots (a mask key, see maskKeyOf). */
  coverageOfMask: (key: number) => number;
  /** The question's Han characters: term id → weight (IDF). */
  characters: ReadonlyMap<number, number>;
  /** The question asks for a quantity or a date. */
  asksForNumber: boolean;
}

/**
 * Reorders the best few hits by where they match: a passage that answers in one sentence (a
 * sentence covers much of the question) beats one whose matches are scattered over unrelated
 * sentences. Each of the first RERANK_DEPTH scores is multiplied by 1 + SENTENCE_FACTOR × the
 * coverage of its best sentence, so they stay above the hits after them. A sentence covers a
 * question as much as the larger of its term coverage and its character coverage (献唱 answers
 * 演唱). When the question asks for a number, a sentence that has one counts NUMBER_SENTENCE_BONUS more.
 */
export function preferOneSentence<T extends Ranked>(ranked: T[], postings: Postings, question: SentenceQuestion): T[] {
  const { derived, coverageOfMask, characters, asksForNumber } = question;
  let characterTotal = 0;
  for (const weight of characters.values()) characterTotal += weight;
  const slotsOfTerm = new Map<number, number[]>();
  for (const { id, slot } of derived) {
    const slots = slotsOfTerm.get(id);
    if (!slots) slotsOfTerm.set(id, [slot]);
    else if (!slots.includes(slot)) slots.push(slot);
  }
  const { sentenceStarts, sentenceTerms } = postings;
  const head = ranked.slice(0, RERANK_DEPTH).map((hit) => {
    const { doc } = hit;
    let best = 0;
    let low = 0;
    let high = 0;
    let hasNumber = false;
    let characterWeight = 0;
    for (let i = sentenceStarts[doc]!; i < sentenceStarts[doc + 1]!; i++) {
      const id = sentenceTerms[i]!;
      if (id === SENTENCE_END) {
        const termCoverage = low || high ? coverageOfMask(maskKeyOf(low, high)) : 0;
        const characterCoverage = characterTotal > 0 ? characterWeight / characterTotal : 0;
        best = Math.max(best, Math.max(termCoverage, characterCoverage) * (hasNumber ? 1 + NUMBER_SENTENCE_BONUS : 1));
        low = high = 0;
        hasNumber = false;
        characterWeight = 0;
        continue;
      }
      if (asksForNumber && postings.isNumber(id)) hasNumber = true;
      characterWeight += characters.get(id) ?? 0;
      for (const slot of slotsOfTerm.get(id) ?? []) {
        if (slot < 32) low |= 1 << slot;
        else high |= 1 << (slot - 32);
      }
    }
    return { ...hit, score: hit.score * (1 + SENTENCE_FACTOR * best) };
  });
  head.sort(byScore);
  return [...head, ...ranked.slice(RERANK_DEPTH)];
}

/** How much a passage that has all of the question's Latin words, in its order, multiplies a hit's score, less one. */
const PHRASE_FACTOR = 3;

/**
 * Reorders the best few hits by the longest run of the question's consecutive Latin words (and
 * numbers) that their passage has in the same order — the run's last word may begin a longer one,
 * so "did the Broncos defeat" runs on in "the Broncos defeated" — as a share of those words: each
 * of the first RERANK_DEPTH scores is multiplied by 1 + PHRASE_FACTOR × that share. The index
 * knows which words a passage has, not in what order; Chinese word order is in its bigrams.
 */
export function preferPhrase<T extends Ranked>(ranked: T[], passages: readonly Passage[], question: string): T[] {
  const words = latinWordsOf(question);
  if (words.length === 0) return ranked;
  const head = ranked.slice(0, RERANK_DEPTH).map((hit) => {
    const passage = passages[hit.doc]!;
    const text = ` ${latinWordsOf(`${passage.title ?? ''} ${passage.text}`).join(' ')}`;
    let longest = 0;
    for (let start = 0; start + longest < words.length; start++) {
      // A run from `start` that the passage lacks only gets longer without matching.
      for (let end = start + longest + 1; end <= words.length && text.includes(` ${words.slice(start, end).join(' ')}`); end++) {
        longest = end - start;
      }
    }
    return { ...hit, score: hit.score * (1 + (PHRASE_FACTOR * longest) / words.length) };
  });
  head.sort(byScore);
  return [...head, ...ranked.slice(RERANK_DEPTH)];
}

/** The words and numbers of a text outside its Han runs, lowercased, in order. */
function latinWordsOf(text: string): string[] {
  return text.replace(/\p{Script=Han}+/gu, ' ').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The oldest and newest passage dates of a corpus, in ms since the epoch. */
export interface DateRange {
  oldest: number;
  newest: number;
}

/**
 * The corpus's date range, or null when it has fewer than two different dates. Days are compared
 * as `YYYY-MM-DD` strings and only the two ends parsed (a million Date.parse calls: ~0.4 s).
 */
export function dateRangeOf(passages: readonly Passage[]): DateRange | null {
  let oldest: string | null = null;
  let newest: string | null = null;
  for (const passage of passages) {
    const day = dayOf(passage.date);
    if (day === null) continue;
    if (oldest === null || day < oldest) oldest = day;
    if (newest === null || day > newest) newest = day;
  }
  const range = { oldest: timeOf(oldest), newest: timeOf(newest) };
  return range.oldest !== null && range.newest !== null && range.newest > range.oldest ? (range as DateRange) : null;
}

/**
 * Raises each hit's score by up to RECENCY_WEIGHT, in proportion to where its passage's date
 * falls in the corpus's range, and sorts again: of two near-equal answers from a news corpus the
 * newer comes first, while a clearly better older one stays ahead. Undated passages, and
 * corpora without a range, are left as they are.
 */
export function preferRecent<T extends Ranked>(ranked: T[], passages: readonly Passage[], range: DateRange | null): T[] {
  if (range === null) return ranked;
  return ranked
    .map((hit) => {
      const time = timeOf(passages[hit.doc]!.date);
      const recency = time === null ? 0 : (time - range.oldest) / (range.newest - range.oldest);
      return { ...hit, score: hit.score * (1 + RECENCY_WEIGHT * recency) };
    })
    .sort(byScore);
}

/** Best first; ties in passage order, so results do not depend on the order of the postings. */
function byScore(a: Ranked, b: Ranked): number {
  return b.score - a.score || a.doc - b.doc;
}

/** The day of a passage date (`YYYY-MM-DD`, maybe followed by a time), or null when it has none. */
function dayOf(date: string | null): string | null {
  return date && /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])/.test(date) ? date.slice(0, 10) : null;
}

/** A passage date as ms since the epoch, by its day; null when it has no readable day. */
function timeOf(date: string | null): number | null {
  const day = dayOf(date);
  const time = day === null ? NaN : Date.parse(day);
  return Number.isNaN(time) ? null : time;
}

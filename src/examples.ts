/**
 * Example questions for /start and /help, taken from the loaded corpus: whoever drops their own
 * documents into data/ gets examples their documents answer, not ones written for the shipped digest.
 */
import { answerQuestion } from './answer.ts';
import type { Passage } from './corpus/types.ts';
import type { SearchIndex } from './search/search-index.ts';
import { ENGLISH_STOP_WORDS } from './search/stopwords.ts';

/** Example lookups per language, best first; each one is answered by the index it was taken from. */
export interface Examples {
  en: string[];
  zh: string[];
}

/**
 * Passages read for phrases: fixed, evenly spaced samples, so a million passages cost what a
 * thousand do (Chinese phrases cost more to count: every 3–6 character run of the text).
 */
export const EN_SAMPLE_PASSAGES = 1000;
export const ZH_SAMPLE_PASSAGES = 400;
/** Examples kept per language, and candidates tried (searched) per language at most. */
const EXAMPLES_PER_LANG = 3;
const CANDIDATES_PER_LANG = 12;

/** A title short enough to type as a lookup: 2–6 English words, or 2–12 Chinese characters. */
const MAX_EN_TITLE_WORDS = 6;
const MAX_EN_EXAMPLE_CHARS = 48;
const MAX_ZH_EXAMPLE_CHARS = 12;

/** Capitalised names of two or more words ("Central Asia", "Belt and Road"), or hyphenated ones ("China-Kyrgyzstan"). */
const ENGLISH_NAME = /\b[A-Z][\p{L}\d]*(?:-[A-Z\d][\p{L}\d]*)*(?:\s+(?:(?:and|of|the|for|de)\s+)?[A-Z][\p{L}\d]*(?:-[A-Z\d][\p{L}\d]*)*)*/gu;
const HAN = /\p{Script=Han}/u;
/** Han runs; Chinese phrases are taken inside them. */
const HAN_RUN = /(?:(?!丨)\p{Script=Han})+/gu;
/** Characters a Chinese phrase should not start or end with: they glue words rather than name things. */
const CHINESE_GLUE = /^[的了是在和与及等对为将把被也都而并或之其这那个有于以中它他她我你该此由从向到]|[的了是在和与及等对为将把被也都而并或之其这那个有于以]$/u;
/** Chinese phrase lengths counted, in characters. */
const ZH_PHRASE_MIN = 3;
const ZH_PHRASE_MAX = 6;
/** Characters of a passage read for Chinese phrases: its start says what it is about, and bounds the work. */
const ZH_CHARS_PER_PASSAGE = 150;

/**
 * Picks a few example lookups from an index's passages: short document titles and the names and
 * phrases that recur across passages, in English and Chinese, keeping only those the answer
 * pipeline answers. Deterministic, and bounded by the samples and a dozen searches
 * per language, whatever the corpus size.
 */
export function pickExamples(index: SearchIndex): Examples {
  const titles = shortTitles(index.passages);
  const candidates = {
    en: interleave(titles.en, englishNames(samplePassages(index.passages.filter((p) => p.lang === 'en'), EN_SAMPLE_PASSAGES))),
    zh: interleave(titles.zh, chinesePhrases(samplePassages(index.passages.filter(hasChinese), ZH_SAMPLE_PASSAGES))),
  };
  const answered = (lang: 'en' | 'zh') => {
    const kept: string[] = [];
    const seen = new Set<string>();
    for (const candidate of candidates[lang].slice(0, CANDIDATES_PER_LANG)) {
      const key = candidate.toLowerCase();
      if (seen.has(key) || kept.some((k) => k.toLowerCase().includes(key) || key.includes(k.toLowerCase()))) continue;
      seen.add(key);
      if (answerQuestion(index, candidate, { limit: 1 }).hits.length > 0) kept.push(candidate);
      if (kept.length === EXAMPLES_PER_LANG) break;
    }
    return kept;
  };
  return { en: answered('en'), zh: answered('zh') };
}

/** Up to `count` examples for a user: in their language first, then in the other one. */
export function examplesFor(examples: Examples, lang: 'en' | 'zh', count = 2): string[] {
  const other = lang === 'en' ? 'zh' : 'en';
  return [...examples[lang], ...examples[other]].slice(0, count);
}

/** Passages with Chinese to read phrases from: in their text, or only in their title (the shipped digest). */
const hasChinese = (passage: Passage) => passage.lang === 'zh' || (!!passage.title && HAN.test(passage.title));

/** Every n-th passage, so the sample spans the whole corpus. */
function samplePassages(passages: readonly Passage[], size: number): Passage[] {
  if (passages.length <= size) return [...passages];
  const step = passages.length / size;
  return Array.from({ length: size }, (_, i) => passages[Math.floor(i * step)]!);
}

/** Titles short enough to be lookups, most passages first (a long document says more about the corpus). */
function shortTitles(passages: readonly Passage[]): Examples {
  const counts = new Map<string, number>();
  for (const passage of passages) {
    const title = passage.title?.replace(/\s+/g, ' ').trim();
    if (title) counts.set(title, (counts.get(title) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([title]) => title);
  const words = (title: string) => title.split(' ').length;
  return {
    en: ranked.filter((t) => /^[\p{Script=Latin}\d][\p{Script=Latin}\d\s'’,.&:-]*$/u.test(t) && words(t) >= 2 && words(t) <= MAX_EN_TITLE_WORDS && t.length <= MAX_EN_EXAMPLE_CHARS),
    zh: ranked.filter((t) => /^[\p{Script=Han}\d]+$/u.test(t) && t.length >= 2 && t.length <= MAX_ZH_EXAMPLE_CHARS),
  };
}

/**
 * How often a phrase occurs: in how many passages, and in how many at most of one document (its
 * title, else its file; passages of a document are consecutive in the sample).
 */
interface PhraseCount {
  passages: number;
  group: string;
  inGroup: number;
  mostInGroup: number;
}

/** Counts phrases over passages, each passage once per phrase, with the phrases `phrasesOf` finds in it. */
function countPhrases(passages: readonly Passage[], phrasesOf: (passage: Passage) => Set<string>): Map<string, PhraseCount> {
  const counts = new Map<string, PhraseCount>();
  for (const passage of passages) {
    const group = passage.title || passage.file;
    for (const phrase of phrasesOf(passage)) {
      const count = counts.get(phrase);
      if (!count) {
        counts.set(phrase, { passages: 1, group, inGroup: 1, mostInGroup: 1 });
        continue;
      }
      count.passages++;
      count.inGroup = count.group === group ? count.inGroup + 1 : 1;
      count.group = group;
      count.mostInGroup = Math.max(count.mostInGroup, count.inGroup);
    }
  }
  return counts;
}

/** Multi-word names in English text. */
function englishNames(passages: readonly Passage[]): string[] {
  const counts = countPhrases(passages, (passage) => {
    const names = new Set<string>();
    for (const match of passage.text.matchAll(ENGLISH_NAME)) {
      const words = match[0].split(/\s+/);
      while (words.length && ENGLISH_STOP_WORDS.has(words[0]!.toLowerCase())) words.shift();
      const name = words.join(' ');
      if ((words.length >= 2 || name.includes('-')) && name.length <= MAX_EN_EXAMPLE_CHARS) names.add(name);
    }
    return names;
  });
  return rankPhrases(counts, (name) => name.split(/[\s-]+/).length);
}

/** Han phrases of 3–6 characters, from the start of each passage (ZH_CHARS_PER_PASSAGE) and its title. */
function chinesePhrases(passages: readonly Passage[]): string[] {
  const counts = countPhrases(passages, (passage) => {
    const phrases = new Set<string>();
    for (const source of [passage.title ?? '', passage.text.slice(0, ZH_CHARS_PER_PASSAGE)]) {
      for (const [run] of source.matchAll(HAN_RUN)) {
        for (let start = 0; start + ZH_PHRASE_MIN <= run.length; start++) {
          for (let length = ZH_PHRASE_MIN; length <= ZH_PHRASE_MAX && start + length <= run.length; length++) {
            const phrase = run.slice(start, start + length);
            if (!CHINESE_GLUE.test(phrase)) phrases.add(phrase);
          }
        }
      }
    }
    return phrases;
  });
  return rankPhrases(counts, (phrase) => phrase.length);
}

/**
 * Phrases found in two passages or more, ranked by passages × size × how much of their use is in
 * one document: a name that keeps coming back in one document (Nikola Tesla, 特斯拉) says what the
 * corpus is about; one spread thinly over every document (United States, 大部分) does not. A
 * phrase inside a better-ranked one found as often (共同现代 in 共同现代化) is the same phrase cut short.
 */
function rankPhrases(counts: Map<string, PhraseCount>, size: (phrase: string) => number): string[] {
  const score = (phrase: string, c: PhraseCount) => c.passages * size(phrase) * (c.mostInGroup / c.passages);
  const ranked = [...counts]
    .filter(([, c]) => c.passages >= 2)
    .map(([phrase, c]) => ({ phrase, passages: c.passages, score: score(phrase, c) }))
    .sort((a, b) => b.score - a.score || b.phrase.length - a.phrase.length || (a.phrase < b.phrase ? -1 : 1));
  const kept: typeof ranked = [];
  for (const candidate of ranked) {
    if (kept.some((k) => k.passages === candidate.passages && k.phrase.includes(candidate.phrase))) continue;
    kept.push(candidate);
    if (kept.length === CANDIDATES_PER_LANG) break;
  }
  return kept.map((k) => k.phrase);
}

/** a1, b1, a2, b2, …: titles and phrases take turns, so examples show both. */
function interleave(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length) out.push(b[i]!);
  }
  return out;
}

/**
 * The latency query set: XQuAD questions in English and Chinese, keyword queries sampled from the
 * corpus (including very common words and bigrams), and a few pathological inputs, shuffled
 * together deterministically.
 */
import type { Passage } from '../../src/corpus/types.ts';
import { pick, prng, type Question } from './corpus.ts';

/** One benchmark query and what kind it is (for the slowest-queries report). */
export interface BenchQuery {
  kind: 'question-en' | 'question-zh' | 'keyword-en' | 'keyword-zh' | 'common' | 'pathological';
  text: string;
}

/** Very common words and bigrams: their posting lists are the longest (or they are stop words). */
const COMMON = ['the', 'of the', 'in the', 'and', 'history', 'first', 'city', 'new york', 'world war', 'game', '中国', '美国', '一个', '他们', '时间', '世界', '年代', '歷史', '中華民國', '國家'];

const HAN_RUN = /\p{Script=Han}{2,}/gu;
const WORDS = /[A-Za-z][A-Za-z'-]*/g;

/** 1–3 consecutive words of a random English passage. */
function englishKeywords(passage: Passage, random: () => number): string | null {
  const words = passage.text.match(WORDS);
  if (!words || words.length < 3) return null;
  const n = 1 + pick(random, 3);
  const at = pick(random, words.length - n + 1);
  return words.slice(at, at + n).join(' ');
}

/** 1–3 "words" of Chinese: a 2–6 character piece of a Han run of a random Chinese passage. */
function chineseKeywords(passage: Passage, random: () => number): string | null {
  const runs = passage.text.match(HAN_RUN);
  if (!runs) return null;
  const run = [...runs[pick(random, runs.length)]!];
  const n = Math.min(run.length, 2 * (1 + pick(random, 3)));
  const at = pick(random, run.length - n + 1);
  return run.slice(at, at + n).join('');
}

/** Inputs that have hurt search engines: long pastes, one enormous token, many rare bigrams, no letters at all. */
export function pathologicalQueries(passages: readonly Passage[], seed = 7): BenchQuery[] {
  const random = prng(seed);
  const english = passages.filter((p) => p.lang === 'en');
  const chinese = passages.filter((p) => p.lang === 'zh');
  const vocabulary = new Set<string>();
  for (let i = 0; vocabulary.size < 5000 && i < 2000; i++) {
    for (const w of english[pick(random, english.length)]!.text.match(WORDS) ?? []) vocabulary.add(w.toLowerCase());
  }
  const words = [...vocabulary];
  const randomWords = Array.from({ length: 2000 }, () => words[pick(random, words.length)]!).join(' ');
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const token = Array.from({ length: 5000 }, () => letters[pick(random, 26)]).join('');
  // 500 distinct Han characters from the CJK Unified Ideographs block (U+4E00–U+9FFF), in random order.
  const han = new Set<string>();
  while (han.size < 500) han.add(String.fromCodePoint(0x4e00 + pick(random, 0x9fff - 0x4e00 + 1)));
  const emoji = ['😀', '🔥', '🚀', '👍🏽', '🇨🇳', '👨‍👩‍👧', '🤖', '❤️', '🎉', '🙈'];
  const soup = Array.from({ length: 400 }, () => emoji[pick(random, emoji.length)]).join(random() < 0.5 ? '' : ' ');
  // 500 characters of transliterated names (斯特拉克…): every stretch of them is looked up by sound.
  const nameCharacters = '阿巴卡达埃弗格哈伊杰克拉马纳奥帕罗斯特维沃西亚泽莱琳曼诺顿';
  const names = Array.from({ length: 500 }, () => nameCharacters[pick(random, nameCharacters.length)]).join('');
  const pasteEn = english.slice(0, 40).map((p) => p.text).join(' ').slice(0, 2000);
  const pasteZh = chinese.slice(0, 40).map((p) => p.text).join('').slice(0, 2000);
  return [
    { kind: 'pathological', text: randomWords },
    { kind: 'pathological', text: token },
    { kind: 'pathological', text: [...han].join('') },
    { kind: 'pathological', text: soup },
    { kind: 'pathological', text: names },
    { kind: 'pathological', text: pasteEn },
    { kind: 'pathological', text: pasteZh },
  ];
}

/**
 * `count` queries: about half XQuAD questions (English and Chinese alike), the rest keyword
 * queries (the common list, then 1–3 words sampled from random passages), plus the pathological
 * ones, shuffled. Deterministic for a seed.
 */
export function buildQuerySet(
  count: number,
  passages: readonly Passage[],
  questions: { en: readonly Question[]; zh: readonly Question[] },
  seed = 1234,
): BenchQuery[] {
  const random = prng(seed);
  const english = passages.filter((p) => p.lang === 'en');
  const chinese = passages.filter((p) => p.lang === 'zh');
  const queries: BenchQuery[] = pathologicalQueries(passages).slice(0, count);
  const common = COMMON.slice(0, Math.max(0, count - queries.length)).map((text): BenchQuery => ({ kind: 'common', text }));
  queries.push(...common);
  const rest = count - queries.length;
  const questionCount = Math.round(rest * 0.55);
  for (let i = 0; i < questionCount; i++) {
    const zh = i % 2 === 1;
    const pool = zh ? questions.zh : questions.en;
    queries.push({ kind: zh ? 'question-zh' : 'question-en', text: pool[pick(random, pool.length)]!.query });
  }
  while (queries.length < count) {
    // Keywords of both languages, or of the one a haystack has (`--haystack en`).
    const zh = chinese.length > 0 && (english.length === 0 || random() < 0.5);
    const text = zh ? chineseKeywords(chinese[pick(random, chinese.length)]!, random) : englishKeywords(english[pick(random, english.length)]!, random);
    if (text) queries.push({ kind: zh ? 'keyword-zh' : 'keyword-en', text });
  }
  // Fisher–Yates, so the kinds are interleaved as a live bot would see them.
  for (let i = queries.length - 1; i > 0; i--) {
    const j = pick(random, i + 1);
    [queries[i], queries[j]] = [queries[j]!, queries[i]!];
  }
  return queries;
}

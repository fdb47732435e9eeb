/**
 * Benchmark corpora, built in memory from real text and deterministic for a given seed.
 *
 * The haystack is made of passages of 2–5 sentences drawn from the distractor files
 * (../shared/eval/distractors: WikiText-2 English Wikipedia, DRCD Traditional and CMRC 2018
 * Simplified Chinese Wikipedia), about half English and half Chinese. The needles are the 240
 * XQuAD passages of one language, with their ids, so retrieval can be scored at every size.
 *
 * The distractor text is licensed for benchmarking only: nothing here is written into data/
 * (start-up runs write a temporary copy under the system temp folder and delete it).
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { parseJsonl } from '../../src/corpus/parse-jsonl.ts';
import type { Passage } from '../../src/corpus/types.ts';

/** Where the shared evaluation material lives, relative to the repository root. */
export const SHARED = '../shared/eval';

/** Shortest and longest haystack passage, in UTF-16 code units. */
const MIN_CHARS = 200;
const MAX_CHARS = 900;

/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export const pick = (random: () => number, n: number): number => Math.floor(random() * n);

/** A sentence of the distractor pool, with the article it came from. */
interface Sentence {
  text: string;
  title: string;
}

/** Sentences of one language in reading order; a passage takes a run of them or a random handful. */
export interface Pool {
  lang: 'en' | 'zh';
  sentences: Sentence[];
}

/** Undoes WikiText's tokenisation (" @-@ ", " , ") so the text reads like the Wikipedia it came from. */
function detokenize(line: string): string {
  return line
    .replace(/ @([-,.])@ /g, '$1')
    .replace(/ ([,.;:!?%)\]'])/g, '$1')
    .replace(/([(\[$]) /g, '$1')
    .replace(/ (n't|'s|'re|'ve|'ll|'d|'m)\b/g, '$1')
    .replace(/" ([^"]*?) "/g, '"$1"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits at . ! ? 。！？ (keeping the mark), dropping empty pieces. */
function sentencesOf(paragraph: string): string[] {
  return (paragraph.match(/[^.!?。！？]+[.!?。！？]*["'”」』）)]*\s*/gu) ?? []).map((s) => s.trim()).filter((s) => s.length > 1);
}

/** English pool: WikiText paragraphs (non-heading, non-empty lines), titled by their article. */
export function englishPool(dir = join(SHARED, 'distractors')): Pool {
  const sentences: Sentence[] = [];
  let title = '';
  for (const raw of readFileSync(join(dir, 'wikitext-2-raw-test.txt'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const heading = /^(=+) (.*?) \1$/.exec(line);
    if (heading) {
      if (heading[1] === '=') title = heading[2]!;
      continue;
    }
    for (const text of sentencesOf(detokenize(line))) sentences.push({ text, title });
  }
  return { lang: 'en', sentences };
}

interface SquadFile {
  data: { title: string; paragraphs: { context: string; qas?: { question: string }[] }[] }[];
}

/** Chinese pool: DRCD (Traditional) and CMRC 2018 (Simplified) paragraph contexts, titled by their article. */
export function chinesePool(dir = join(SHARED, 'distractors')): Pool {
  const sentences: Sentence[] = [];
  for (const file of ['DRCD_dev.json', 'cmrc2018_trial.json']) {
    const squad = JSON.parse(readFileSync(join(dir, file), 'utf8')) as SquadFile;
    for (const article of squad.data) {
      for (const paragraph of article.paragraphs) {
        for (const text of sentencesOf(paragraph.context.replace(/\s+/g, ' '))) sentences.push({ text, title: article.title });
      }
    }
  }
  return { lang: 'zh', sentences };
}

/**
 * One haystack passage: 2–5 sentences, either consecutive (a run of the original text) or drawn
 * at random from the whole pool, grown towards a random length in 200–900 characters and cut at 900.
 */
function composePassage(pool: Pool, random: () => number): { text: string; title: string } {
  const { sentences } = pool;
  // A length aimed for, uniform over 200–900: sentences are added until it is reached (2–5 of
  // them, more only while the passage is still under 200 characters).
  const target = MIN_CHARS + pick(random, MAX_CHARS - MIN_CHARS + 1);
  const consecutive = random() < 0.5;
  const start = pick(random, sentences.length);
  const joiner = pool.lang === 'en' ? ' ' : '';
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; (i < 2 || (i < 5 && length < target) || length < MIN_CHARS) && i < 40; i++) {
    const sentence = sentences[consecutive ? (start + i) % sentences.length : i === 0 ? start : pick(random, sentences.length)]!;
    parts.push(sentence.text);
    length += sentence.text.length + joiner.length;
    if (length >= MAX_CHARS) break;
  }
  let text = parts.join(joiner);
  if (text.length > MAX_CHARS) {
    // Cut at the last sentence end (or space) before the limit, never inside a surrogate pair.
    const head = text.slice(0, MAX_CHARS);
    const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('。'), head.lastIndexOf('！'), head.lastIndexOf('？'));
    text = end >= MIN_CHARS ? head.slice(0, end + 1) : head.replace(/[\ud800-\udbff]$/, '').replace(/\s+\S*$/, '');
  }
  return { text: text.trim(), title: sentences[start]!.title };
}

/** A passage record as parseJsonl would produce it from `{"id","title","text","lang"}`. */
function passageOf(id: string, text: string, title: string, lang: 'en' | 'zh', file: string): Passage {
  return { id, docId: id, text, title: title || null, publisher: null, date: null, section: null, refs: [], url: null, topic: null, lang, file };
}

/** Key under which the bot's loader considers two passages the same (it keeps one). */
const dedupKey = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');

/**
 * `n` haystack passages, alternating-ish English and Chinese (a coin flip per passage), all
 * distinct (the bot's loader drops duplicates, so a duplicate would make the in-process index
 * and the bot's differ). Deterministic for a given seed.
 */
export function generateHaystack(n: number, pools: { en: Pool; zh: Pool }, seed = 42): Passage[] {
  const random = prng(seed);
  const passages: Passage[] = [];
  const seen = new Set<string>();
  let collisions = 0;
  while (passages.length < n) {
    const pool = random() < 0.5 ? pools.en : pools.zh;
    const { text, title } = composePassage(pool, random);
    if (text.length < MIN_CHARS / 2) continue;
    const key = dedupKey(text);
    if (seen.has(key)) {
      if (++collisions > n) throw new Error('the sentence pool is too small for this many distinct passages');
      continue;
    }
    seen.add(key);
    const id = `hay-${String(passages.length).padStart(7, '0')}`;
    passages.push(passageOf(id, text, title, pool.lang, 'haystack.jsonl'));
  }
  return passages;
}

/** The XQuAD passages of one language (the task corpus), parsed as `npm run eval` does. */
export function loadNeedles(lang: 'en' | 'zh', dir = join(SHARED, 'tasks')): Passage[] {
  const file = `xquad-${lang}.corpus.jsonl`;
  return parseJsonl(readFileSync(join(dir, file), 'utf8'), file).documents.flatMap((d) => d.passages);
}

/** An XQuAD question and the id of the passage that answers it. */
export interface Question {
  query: string;
  gold: string[];
  lang: string;
}

export function loadQuestions(lang: 'en' | 'zh', dir = join(SHARED, 'tasks')): Question[] {
  return readFileSync(join(dir, `xquad-${lang}.queries.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Question);
}

/**
 * Writes passages as JSONL files of at most `perFile` records under `dir` (one big file would
 * exceed V8's longest string at 1M passages: the loader reads a file as one string).
 */
export async function writeJsonl(dir: string, name: string, passages: readonly Passage[], perFile = 50_000): Promise<void> {
  for (let part = 0; part * perFile < passages.length; part++) {
    const out = createWriteStream(join(dir, `${name}-${String(part).padStart(3, '0')}.jsonl`), 'utf8');
    for (const p of passages.slice(part * perFile, (part + 1) * perFile)) {
      const line = `${JSON.stringify({ id: p.id, title: p.title ?? '', text: p.text, lang: p.lang })}\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  }
}

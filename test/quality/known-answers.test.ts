/**
 * Retrieval quality on the shipped corpus, enforced by CI: every known-answer question goes
 * through the same pipeline as the bot (openIndex, answerQuestion, 3 hits), and Hit@1 / Hit@3 per kind of
 * question must stay at or above the floors below.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/answer.ts';
import type { Passage } from '../../src/corpus/types.ts';
import { createLogger } from '../../src/logger.ts';
import type { SearchIndex } from '../../src/search/search-index.ts';
import { openIndex } from '../../src/startup.ts';

type Kind = 'direct' | 'paraphrase' | 'typo' | 'zh-en' | 'unanswerable';

/**
 * Least Hit@1 and Hit@3 per kind, set a little below the measured figures (rounded down to 0.05).
 * These floors may only go up: raise one when a change improves its figure; never lower one to
 * make a change pass. For unanswerable questions a "hit" is an empty answer.
 *
 * Measured with query translation (npm test prints the table): direct 0.917/1 (24),
 * paraphrase 0.692/0.769 (13), typo 1/1 (8), zh-en 0.938/0.938 (16), unanswerable 0.556 (9).
 * zh-en was 0/0.063 before translation; in exchange two near-miss Chinese questions that name
 * entities of the corpus (哈萨克斯坦总统是谁？, 中吉乌铁路全长多少公里？) now get weak answers, so the
 * unanswerable floor was set once from 0.75 to 0.55 — a trade recorded in DESIGN.md.
 */
const FLOORS: Record<Kind, { hit1: number; hit3: number }> = {
  direct: { hit1: 0.9, hit3: 0.95 },
  paraphrase: { hit1: 0.65, hit3: 0.75 },
  typo: { hit1: 1, hit3: 1 },
  'zh-en': { hit1: 0.9, hit3: 0.9 },
  unanswerable: { hit1: 0.55, hit3: 0.55 },
};

interface KnownAnswer {
  question: string;
  lang: 'en' | 'zh';
  kind: Kind;
  difficulty: 'easy' | 'medium' | 'hard';
  /** A substring of the expected passage only, or null when the corpus cannot answer. */
  expect: string | null;
}

const KNOWN: KnownAnswer[] = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/known-answers.json', import.meta.url)), 'utf8'),
);
const DATA = fileURLToPath(new URL('../../data', import.meta.url));
const KINDS = Object.keys(FLOORS) as Kind[];

interface Figures {
  questions: number;
  hit1: number;
  hit3: number;
  misses: string[];
}

let passages: readonly Passage[] = [];
let index: SearchIndex;
const figures = new Map<Kind, Figures>();

beforeAll(async () => {
  // The bot's own start-up path: documents, aliases and the dictionary.
  const opened = await openIndex(DATA, createLogger('silent'));
  passages = opened.corpus.passages;
  index = opened.index;
  for (const kind of KINDS) figures.set(kind, { questions: 0, hit1: 0, hit3: 0, misses: [] });
  for (const known of KNOWN) {
    const answer = answerQuestion(index, known.question, { limit: 3 });
    const f = figures.get(known.kind)!;
    f.questions += 1;
    const rank = known.expect === null
      ? (answer.hits.length === 0 ? 0 : -1)
      : answer.hits.findIndex((hit) => hit.passage.text.includes(known.expect!));
    if (rank === 0) f.hit1 += 1;
    if (rank >= 0 && rank < 3) f.hit3 += 1;
    if (rank !== 0) f.misses.push(`${known.question} → ${rank < 0 ? 'miss' : `rank ${rank + 1}`}`);
  }
  const rate = (n: number, of: number) => (of ? n / of : 0).toFixed(3);
  const rows = KINDS.map((kind) => {
    const f = figures.get(kind)!;
    return `${kind.padEnd(13)} ${String(f.questions).padStart(3)}  ${rate(f.hit1, f.questions)} (≥${FLOORS[kind].hit1.toFixed(2)})  ${rate(f.hit3, f.questions)} (≥${FLOORS[kind].hit3.toFixed(2)})`;
  });
  console.log(['known answers   n   Hit@1         Hit@3', ...rows].join('\n'));
});

describe('the known-answer set', () => {
  it('has questions of every kind', () => {
    for (const kind of KINDS) expect(KNOWN.filter((k) => k.kind === kind).length, kind).toBeGreaterThan(0);
    for (const known of KNOWN) expect(KINDS).toContain(known.kind);
  });

  it('names a substring of exactly one passage for every answerable question', () => {
    for (const known of KNOWN) {
      expect(known.expect === null, known.question).toBe(known.kind === 'unanswerable');
      if (known.expect === null) continue;
      expect(passages.filter((p) => p.text.includes(known.expect!)).length, known.expect).toBe(1);
    }
  });
});

describe('retrieval quality', () => {
  it.each(KINDS)('%s questions keep Hit@1 and Hit@3 at or above their floors', (kind) => {
    const f = figures.get(kind)!;
    const detail = `${kind}: misses at rank 1:\n${f.misses.join('\n')}`;
    expect(f.hit1 / f.questions, detail).toBeGreaterThanOrEqual(FLOORS[kind].hit1);
    expect(f.hit3 / f.questions, detail).toBeGreaterThanOrEqual(FLOORS[kind].hit3);
    // Hit@3 counts every Hit@1, so a floor pair must be consistent too.
    expect(FLOORS[kind].hit3).toBeGreaterThanOrEqual(FLOORS[kind].hit1);
  });
});

/**
 * Measures retrieval on a passage-retrieval task (XQuAD's, in test/fixtures/xquad): the same
 * pipeline as the bot and `ask` — corpus parser, index, translation, confidence gate — over every
 * question, for `npm run eval` and the quality floors in CI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerQuestion } from '../answer.ts';
import { parseJsonl } from '../corpus/parse-jsonl.ts';
import { buildIndex } from '../search/search-index.ts';
import type { Translator } from '../search/translate.ts';

/** A task of tasks.json: a corpus file, a questions file (one `{query, gold}` per line). */
export interface Task {
  corpus: string;
  queries: string;
  /** Run by default (`npm run eval` without --only). */
  main: boolean;
}

/** What a task measured: shares of the questions, 0–1, and the time per question. */
export interface TaskResult {
  n: number;
  r1: number;
  r3: number;
  r10: number;
  mrr: number;
  /** Questions answered with nothing. */
  empty: number;
  msPerQuery: number;
}

/** The tasks of a tasks folder, by name. */
export function readTasks(dir: string): Record<string, Task> {
  return JSON.parse(readFileSync(join(dir, 'tasks.json'), 'utf8')) as Record<string, Task>;
}

/** Indexes the task's corpus and asks every question, as the bot answers (or ungated: every candidate). */
export function evaluateTask(dir: string, task: Task, translator: Translator, options: { gate?: boolean } = {}): TaskResult {
  const corpus = parseJsonl(readFileSync(join(dir, task.corpus), 'utf8'), task.corpus);
  const index = buildIndex(corpus.documents.flatMap((d) => d.passages), translator);
  const queries = readFileSync(join(dir, task.queries), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { query: string; gold: string[] });
  let r1 = 0, r3 = 0, r10 = 0, mrr = 0, empty = 0;
  const started = performance.now();
  for (const { query, gold } of queries) {
    const hits = options.gate === false ? index.search(query, { gate: false }).slice(0, 10) : answerQuestion(index, query, { limit: 10 }).hits;
    const ids = hits.map((h) => h.passage.id);
    if (ids.length === 0) empty++;
    const rank = ids.findIndex((id) => gold.includes(id));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 3) r3++;
    if (rank >= 0) {
      r10++;
      mrr += 1 / (rank + 1);
    }
  }
  const n = queries.length;
  return { n, r1: r1 / n, r3: r3 / n, r10: r10 / n, mrr: mrr / n, empty: empty / n, msPerQuery: (performance.now() - started) / n };
}

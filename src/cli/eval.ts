/**
 * `npm run eval -- [--tasks DIR] [--only NAME,...] [--no-gate]`
 *
 * Runs the XQuAD passage-retrieval tasks (../shared/eval/tasks) through the same pipeline as the
 * bot and the `ask` command — corpus parser, index, translation, confidence gate — and prints
 * R@1, R@3, R@10, MRR@10 and the share of empty answers per task, so every ranking change is
 * measured. `../shared/eval/score.js` measures the same through the `ask` process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { answerQuestion } from '../answer.ts';
import { parseJsonl } from '../corpus/parse-jsonl.ts';
import { loadDictionary } from '../search/dictionary/dictionary.ts';
import { buildIndex } from '../search/search-index.ts';
import { createTranslator } from '../search/translate.ts';

interface Task {
  corpus: string;
  queries: string;
  main: boolean;
}

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '../shared/eval/tasks' },
    only: { type: 'string' },
    'no-gate': { type: 'boolean', default: false },
  },
});
const dir = values.tasks!;
const tasks = JSON.parse(readFileSync(join(dir, 'tasks.json'), 'utf8')) as Record<string, Task>;
const only = values.only?.split(',');
const translator = createTranslator(loadDictionary());

console.log('| task | n | R@1 | R@3 | R@10 | MRR@10 | empty | ms/query |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, task] of Object.entries(tasks)) {
  if (only ? !only.includes(name) : !task.main) continue;
  const corpus = parseJsonl(readFileSync(join(dir, task.corpus), 'utf8'), task.corpus);
  const index = buildIndex(corpus.documents.flatMap((d) => d.passages), translator);
  const queries = readFileSync(join(dir, task.queries), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { query: string; gold: string[] });
  let r1 = 0, r3 = 0, r10 = 0, mrr = 0, empty = 0;
  const started = performance.now();
  for (const { query, gold } of queries) {
    const hits = values['no-gate'] ? index.search(query, { gate: false }).slice(0, 10) : answerQuestion(index, query, { limit: 10 }).hits;
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
  const ms = (performance.now() - started) / queries.length;
  const n = queries.length;
  const f = (x: number) => (x / n).toFixed(3);
  console.log(`| ${name} | ${n} | ${f(r1)} | ${f(r3)} | ${f(r10)} | ${f(mrr)} | ${f(empty)} | ${ms.toFixed(2)} |`);
}

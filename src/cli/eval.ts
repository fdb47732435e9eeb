/**
 * `npm run eval -- [--tasks DIR] [--only NAME,...] [--no-gate]`
 *
 * Runs the XQuAD passage-retrieval tasks (vendored in test/fixtures/xquad) through the same pipeline as the
 * bot and the `ask` command — corpus parser, index, translation, confidence gate — and prints
 * R@1, R@3, R@10, MRR@10 and the share of empty answers per task, so every ranking change is
 * measured. `../shared/eval/score.js` measures the same through the `ask` process.
 */
import { parseArgs } from 'node:util';
import { loadDictionary } from '../search/dictionary/dictionary.ts';
import { createTranslator } from '../search/translate.ts';
import { evaluateTask, readTasks } from './evaluate.ts';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: 'test/fixtures/xquad' },
    only: { type: 'string' },
    'no-gate': { type: 'boolean', default: false },
  },
});
const dir = values.tasks!;
const only = values.only?.split(',');
const translator = createTranslator(loadDictionary());

console.log('| task | n | R@1 | R@3 | R@10 | MRR@10 | empty | ms/query |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, task] of Object.entries(readTasks(dir))) {
  if (only ? !only.includes(name) : !task.main) continue;
  const r = evaluateTask(dir, task, translator, { gate: !values['no-gate'] });
  const f = (x: number) => x.toFixed(3);
  console.log(`| ${name} | ${r.n} | ${f(r.r1)} | ${f(r.r3)} | ${f(r.r10)} | ${f(r.mrr)} | ${f(r.empty)} | ${r.msPerQuery.toFixed(2)} |`);
}

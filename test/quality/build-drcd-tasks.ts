/**
 * `node --import tsx test/quality/build-drcd-tasks.ts [--source FILE] [--out DIR] [--every N]`
 *
 * Makes passage-retrieval tasks (the format of `src/cli/evaluate.ts`) from DRCD — Traditional
 * Chinese Wikipedia paragraphs with questions, CC BY-SA 3.0 — in both scripts, to measure how
 * a question in one script finds a passage in the other (issue #14). The simplified side is
 * made with OpenCC (opencc-js, Taiwan → mainland characters, no phrase rewriting: `tw` → `cn`),
 * a converter independent of the tokenizer's own fold (built from CC-CEDICT), so the measure
 * does not grade the fold against itself.
 *
 * Defaults write every 5th paragraph of `../shared/eval/distractors/DRCD_dev.json` to
 * `test/fixtures/drcd/` (the subset CI checks); `--every 1 --out DIR` makes the full set.
 */
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as OpenCC from 'opencc-js';

interface Drcd {
  data: { title: string; paragraphs: { id: string; context: string; qas: { id: string; question: string }[] }[] }[];
}

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: '../shared/eval/distractors/DRCD_dev.json' },
    out: { type: 'string', default: 'test/fixtures/drcd' },
    every: { type: 'string', default: '5' },
  },
});
const every = Number(values.every);
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const drcd = JSON.parse(readFileSync(values.source!, 'utf8')) as Drcd;

const corpus: Record<'trad' | 'simp', string[]> = { trad: [], simp: [] };
const queries: Record<'trad' | 'simp', string[]> = { trad: [], simp: [] };
let n = 0;
for (const article of drcd.data) {
  for (const paragraph of article.paragraphs) {
    if (n++ % every !== 0) continue;
    const record = (title: string, text: string) => JSON.stringify({ id: paragraph.id, title, text, lang: 'zh' });
    corpus.trad.push(record(article.title, paragraph.context));
    corpus.simp.push(record(toSimplified(article.title), toSimplified(paragraph.context)));
    for (const qa of paragraph.qas) {
      const query = (text: string) => JSON.stringify({ qid: qa.id, query: text, gold: [paragraph.id], lang: 'zh' });
      queries.trad.push(query(qa.question));
      queries.simp.push(query(toSimplified(qa.question)));
    }
  }
}

mkdirSync(values.out!, { recursive: true });
for (const script of ['trad', 'simp'] as const) {
  writeFileSync(join(values.out!, `drcd-${script}.corpus.jsonl`), corpus[script].join('\n') + '\n');
  writeFileSync(join(values.out!, `drcd-${script}.queries.jsonl`), queries[script].join('\n') + '\n');
}
// Named question script → passage script.
const tasks = Object.fromEntries(
  (['trad', 'simp'] as const).flatMap((passages) =>
    (['trad', 'simp'] as const).map((questions) => [
      `drcd-${questions}-${passages}`,
      { corpus: `drcd-${passages}.corpus.jsonl`, queries: `drcd-${questions}.queries.jsonl`, main: true },
    ]),
  ),
);
writeFileSync(join(values.out!, 'tasks.json'), JSON.stringify(tasks, null, 2) + '\n');
console.log(`${corpus.trad.length} passages, ${queries.trad.length} questions → ${values.out}`);

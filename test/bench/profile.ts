/**
 * `node --import tsx test/bench/profile.ts [--size 100000] [--query TEXT ...] [--repeat 3]`
 *
 * Where query time goes: builds the benchmark corpus of one size (English needles), then for each
 * query prints its plan (terms, translation concepts), the posting-list length (document
 * frequency) of every term it looks up, the fuzzy and prefix expansions minisearch adds, how many
 * candidates come back before the confidence gate, and its time. The query loop is CPU-profiled
 * through the inspector (only the queries, not the build) and the heaviest functions are listed;
 * `--cpu-prof FILE` also writes that profile for Chrome DevTools. `--tree` prints the shape of
 * minisearch's radix tree (what term look-ups and index insertions walk).
 *
 * A diagnostic tool: it reads SearchIndex's private fields, so it may need updating when the
 * search internals change.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { answerQuestion, normalizeQuestion } from '../../src/answer.ts';
import type { Passage } from '../../src/corpus/types.ts';
import { loadDictionary } from '../../src/search/dictionary/dictionary.ts';
import { planQuery, type Vocabulary } from '../../src/search/query-plan.ts';
import { buildIndex, type SearchIndex } from '../../src/search/search-index.ts';
import { isHanTerm } from '../../src/search/tokenize.ts';
import { createTranslator } from '../../src/search/translate.ts';
import { chinesePool, englishPool, generateHaystack, loadNeedles, loadQuestions } from './corpus.ts';
import { pathologicalQueries } from './queries.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    query: { type: 'string', multiple: true },
    repeat: { type: 'string', default: '3' },
    'cpu-prof': { type: 'string' },
    tree: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
  },
});
const n = Number(values.size);
const repeat = Number(values.repeat);
const log = (s: string) => process.stderr.write(`${s}\n`);

log(`profile: generating ${n} passages and building the index`);
const pools = { en: englishPool(), zh: chinesePool() };
const haystack = generateHaystack(n, pools, Number(values.seed));
const passages: Passage[] = [...haystack, ...loadNeedles('en')];
const translator = createTranslator(loadDictionary());
const started = performance.now();
const index = buildIndex(passages, translator);
log(`profile: built in ${Math.round(performance.now() - started)} ms`);

/** The private parts of SearchIndex this diagnostic reads. */
interface Internals {
  engine: { _index: RadixMap };
  documentFrequency: Map<string, number>;
  vocabulary: Vocabulary;
}
interface RadixMap {
  _tree: Map<string, unknown>;
  size: number;
  get(term: string): Map<number, Map<number, number>> | undefined;
  fuzzyGet(term: string, distance: number): Map<string, unknown>;
  atPrefix(prefix: string): { size: number };
}
const internals = index as unknown as Internals;
const df = (term: string) => internals.documentFrequency.get(term) ?? 0;

if (values.tree) printTree();

const queries = values.query?.length ? values.query : defaultQueries();
for (const query of queries) explain(query);
await profileQueries(queries);

function defaultQueries(): string[] {
  const zh = loadQuestions('zh');
  const en = loadQuestions('en');
  const paths = pathologicalQueries(haystack);
  return [
    'the', 'of the', 'first', '中国', '一个', 'history of the city',
    en[5]!.query, en[100]!.query, zh[5]!.query, zh[100]!.query,
    '截至2015年3月，伊斯兰国控制的领地有多少人口？',
    ...paths.map((p) => p.text),
  ];
}

/** One query: its plan, the posting lists it touches, expansions, candidates, time. */
function explain(raw: string): void {
  const query = normalizeQuestion(raw);
  const plan = planQuery(query, translator, internals.vocabulary);
  const terms = plan.terms.map((t) => ({ t, df: df(t) }));
  const alternatives = plan.concepts.flatMap((c) => c.alternatives.flat());
  const conceptPostings = alternatives.reduce((sum, t) => sum + df(t), 0);
  // The expansions SearchIndex asks minisearch for (see its fuzzy and prefix options).
  const missing = plan.terms.filter((t) => !isHanTerm(t) && !internals.documentFrequency.has(t));
  const fuzzy = missing.filter((t) => t.length >= 5).map((t) => internals.engine._index.fuzzyGet(t, Math.min(2, Math.round(t.length * 0.2))).size);
  const last = plan.terms.at(-1);
  const prefixLast = !/[\s\p{P}]$/u.test(query);
  const prefix = last && prefixLast && !isHanTerm(last) && last.length >= 3 && !internals.documentFrequency.has(last) ? internals.engine._index.atPrefix(last).size : 0;
  const candidates = index.search(query, { gate: false }).length;
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    total = answerQuestion(index, query, { limit: 10 }).total;
    times.push(performance.now() - t);
  }
  const planStarted = performance.now();
  for (let i = 0; i < repeat; i++) planQuery(query, translator, internals.vocabulary);
  const planMs = (performance.now() - planStarted) / repeat;
  const top = [...terms].sort((a, b) => b.df - a.df).slice(0, 5).map((x) => `${x.t}:${x.df}`).join(' ');
  console.log(`\n> ${truncate(raw, 70)}  (${[...raw].length} chars, searched ${[...query].length})`);
  console.log(
    `  ${Math.min(...times).toFixed(1)} ms best of ${repeat} (plan ${planMs.toFixed(1)} ms) · ${plan.terms.length} terms, Σdf ${terms.reduce((s, x) => s + x.df, 0)} · ${plan.concepts.length} concepts / ${alternatives.length} translated terms, Σdf ${conceptPostings} · fuzzy ${fuzzy.reduce((a, b) => a + b, 0)} terms for ${fuzzy.length} unknown words · prefix ${prefix} · ${candidates} candidates → ${total} after the gate`,
  );
  console.log(`  largest posting lists: ${top || '—'}`);
}

/** CPU-profiles running every query `repeat` times and prints the heaviest functions. */
async function profileQueries(list: string[]): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  for (let i = 0; i < repeat; i++) for (const q of list) answerQuestion(index, q, { limit: 10 });
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  if (values['cpu-prof']) writeFileSync(values['cpu-prof'], JSON.stringify(profile));
  summarize(profile as unknown as CpuProfile);
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

function summarize(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    // The inspector's own call (stopping the profiler) and idle time are not query work.
    if (['dispatch', '(idle)', '(program)'].includes(byId.get(id)!.callFrame.functionName)) return;
    all += us;
    self.set(name(id), (self.get(name(id)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = name(at);
      if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
      seen.add(key);
    }
  });
  const rows = (map: Map<string, number>, count: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, us]) => `  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / all).toFixed(1).padStart(5)}%  ${k}`);
  console.log(`\nCPU profile of the query loop (${(all / 1000).toFixed(0)} ms), self time:`);
  console.log(rows(self, 15).join('\n'));
  console.log('inclusive time:');
  console.log(rows(inclusive, 25).join('\n'));
}

/** minisearch keeps terms in a radix tree of Maps whose children are scanned one by one. */
function printTree(): void {
  const root = internals.engine._index._tree;
  const keys = [...root.keys()].filter((k) => typeof k === 'string' && k !== '');
  const han = keys.filter((k) => /^\p{Script=Han}/u.test(k)).length;
  const childSizes = [...root.values()].filter((v): v is Map<string, unknown> => v instanceof Map).map((m) => m.size).sort((a, b) => b - a);
  console.log(`radix tree: ${internals.engine._index.size} terms; root node has ${keys.length} children (${han} starting with a Han character); largest second-level nodes: ${childSizes.slice(0, 5).join(', ')}`);
  const lookup = (terms: string[]) => {
    const t = performance.now();
    for (let r = 0; r < 50; r++) for (const term of terms) internals.engine._index.get(term);
    return ((performance.now() - t) * 1000) / (50 * terms.length);
  };
  const lastHan = keys.filter((k) => /^\p{Script=Han}/u.test(k)).slice(-20).map((k) => [...k][0]! + '的');
  console.log(
    `term look-up: ${lookup(['citi', 'histori', 'first', 'war', 'music']).toFixed(1)} µs (Latin), ${lookup(['中国', '世界', '歷史', '國家', '人民']).toFixed(1)} µs (common Han), ${lookup(lastHan).toFixed(1)} µs (Han, first character added late)`,
  );
  const dfs = [...internals.documentFrequency.values()].sort((a, b) => b - a);
  const heaviest = [...internals.documentFrequency].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([t, d]) => `${t}:${d}`);
  console.log(`document frequency: ${dfs.filter((d) => d >= passages.length * 0.05).length} terms in ≥5% of passages, ${dfs.filter((d) => d >= passages.length * 0.01).length} in ≥1%; heaviest: ${heaviest.join(' ')}`);
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

void (index satisfies SearchIndex);

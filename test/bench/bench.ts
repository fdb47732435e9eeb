/**
 * `npm run bench -- [--sizes 10000,100000] [--queries 1000] [--no-startup] [--bot-heap MiB] [--seed 42] [--haystack mixed|en]`
 *
 * Scale benchmark: for each haystack size N, a corpus of N real-text distractor passages plus the
 * 240 XQuAD needles (see corpus.ts) is indexed as the bot does (buildIndex with the CC-CEDICT
 * translator), and one markdown table row is printed: index build time and rate, index heap per
 * passage, bot start-up to first answer, query latency percentiles and throughput over a mixed
 * query set (queries.ts), and R@1 of the needles en→en, zh→zh and zh→en. Below the table, per
 * size: how many gold passages are among the 50 hits without the confidence gate (the most any
 * re-ranking of the hits could reach), per-kind latencies and the slowest queries. `--haystack en`
 * draws the distractors from English text only, to tell competition from Chinese passages apart
 * from what translation alone finds. Progress goes to stderr; stdout can be pasted into
 * BENCHMARKS.md.
 *
 * Start-up runs the bot with Node's default heap and, if it runs out of memory, again with
 * --max-old-space-size=16384; `--bot-heap MiB` starts it with that heap straight away.
 *
 * The script re-runs itself with `--expose-gc` (for heap figures) and a larger heap (1M passages
 * do not fit in Node's default ~4 GiB).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { answerQuestion, normalizeQuestion } from '../../src/answer.ts';
import type { Passage } from '../../src/corpus/types.ts';
import { loadDictionary } from '../../src/search/dictionary/dictionary.ts';
import { buildIndex, MAX_HITS, type SearchIndex } from '../../src/search/search-index.ts';
import { createTranslator } from '../../src/search/translate.ts';
import { chinesePool, englishPool, generateHaystack, loadNeedles, loadQuestions, type Question } from './corpus.ts';
import { buildQuerySet, type BenchQuery } from './queries.ts';
import { measureStartup, type StartupOptions, type StartupResult } from './startup.ts';

const CHILD_FLAG = 'CITEBOT_BENCH_CHILD';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc && !process.env[CHILD_FLAG]) {
  // Re-run with a collector we can call and room for 1M passages (most of the machine's memory,
  // leaving some for the bot process of the start-up measurement, which runs after the indexes are freed).
  const heapMiB = Math.max(4096, Math.floor((totalmem() / 2 ** 20) * 0.75));
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', `--max-old-space-size=${heapMiB}`, '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, [CHILD_FLAG]: '1' } },
  );
  process.exit(result.status ?? 1);
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    queries: { type: 'string', default: '1000' },
    'no-startup': { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    'bot-heap': { type: 'string' },
    haystack: { type: 'string', default: 'mixed' },
  },
});
const botHeapMiB = values['bot-heap'] ? Number(values['bot-heap']) : undefined;
const sizes = values.sizes!.split(',').map((s) => Number(s.replace(/_/g, '')));
const queryCount = Number(values.queries);
const seed = Number(values.seed);
const englishOnly = values.haystack === 'en';
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(queryCount) || queryCount < 1 || !['mixed', 'en'].includes(values.haystack!)) {
  process.stderr.write('usage: npm run bench -- [--sizes 10000,100000,1000000] [--queries 1000] [--no-startup] [--bot-heap MiB] [--seed 42] [--haystack mixed|en]\n');
  process.exit(2);
}

const benchStarted = performance.now();
const progress = (message: string) => process.stderr.write(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(1)}s] ${message}\n`);
const collect = () => {
  gc?.();
  gc?.();
};
/** JavaScript heap plus typed-array buffers (the postings live in the latter, outside the heap). */
const heapUsed = () => {
  collect();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : fmt(n));

// ------------------------------------------------------------------ header

const cpu = cpus();
console.log(`## Benchmark run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
console.log('');
console.log(`- machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version} (${process.platform}/${process.arch})`);
console.log(`- code: ${codeVersion()}; load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpu.length} CPUs)`);
console.log(
  `- command: \`npm run bench -- --sizes ${sizes.join(',')} --queries ${queryCount}${values['no-startup'] ? ' --no-startup' : ''}${botHeapMiB ? ` --bot-heap ${botHeapMiB}` : ''}${englishOnly ? ' --haystack en' : ''}\` (seed ${seed})`,
);

// ------------------------------------------------------------------ material

progress('loading distractor pools, needles, questions and the dictionary');
const englishSentences = englishPool();
// An English-only haystack draws both halves from the English pool.
const pools = { en: englishSentences, zh: englishOnly ? englishSentences : chinesePool() };
const needles = { en: loadNeedles('en'), zh: loadNeedles('zh') };
const questions = { en: loadQuestions('en'), zh: loadQuestions('zh') };
const dictionaryStarted = performance.now();
const translator = createTranslator(loadDictionary());
const dictionaryMs = performance.now() - dictionaryStarted;
console.log(
  `- material: ${fmt(pools.en.sentences.length)} English sentences (WikiText-2 test), ${englishOnly ? 'no Chinese haystack (--haystack en)' : `${fmt(pools.zh.sentences.length)} Chinese sentences (DRCD dev + CMRC 2018 trial)`}; needles: 240 XQuAD passages; dictionary load ${fmt(dictionaryMs)} ms`,
);
console.log('');

// ------------------------------------------------------------------ per size

interface Timed {
  query: BenchQuery;
  ms: number;
  total: number;
}

interface SizeReport {
  n: number;
  meanChars: number;
  timings: Timed[];
  zhBuildMs: number;
  corpusBytesPerPassage: number;
  startup: { cold: StartupResult; warm: StartupResult } | { error: string } | null;
  buildCpuMs: number;
  queryCpuMs: number;
  loadAfter: number;
  minutes: number;
  recall: { enEn: Recall; zhZh: Recall; zhEn: Recall };
}

const reports: SizeReport[] = [];
console.log('| haystack N | passages | build ms | passages/s | memory B/passage | start-up ms cold / warm | p50 ms | p95 ms | p99 ms | max ms | queries/s | R@1 en→en | R@1 zh→zh | R@1 zh→en |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');

for (const n of sizes) {
  const sizeStarted = performance.now();
  progress(`N=${fmt(n)}: generating the haystack`);
  const heapEmpty = heapUsed();
  const haystack = generateHaystack(n, pools, seed);
  const corpusBytesPerPassage = (heapUsed() - heapEmpty) / n;
  const meanChars = haystack.reduce((sum, p) => sum + p.text.length, 0) / n;

  // English needles: build figures, latency and en→en / zh→en recall.
  const english: Passage[] = [...haystack, ...needles.en];
  progress(`N=${fmt(n)}: building the index (${fmt(english.length)} passages, English needles)`);
  const before = heapUsed();
  const buildStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  let index: SearchIndex | null = buildIndex(english, translator);
  const buildMs = performance.now() - buildStarted;
  const buildCpu = process.cpuUsage(cpuStarted);
  const buildCpuMs = (buildCpu.user + buildCpu.system) / 1000;
  const heapPerPassage = (heapUsed() - before) / english.length;
  progress(`N=${fmt(n)}: built in ${fmt(buildMs)} ms, ${fmt(heapPerPassage)} B/passage of memory (heap + buffers)`);

  const set = buildQuerySet(queryCount, haystack, questions, seed);
  progress(`N=${fmt(n)}: ${set.length} latency queries`);
  for (const query of set.slice(0, 20)) answerQuestion(index, query.text, { limit: 10 }); // warm-up, not timed
  const timings: Timed[] = [];
  const latencyStarted = performance.now();
  const latencyCpuStarted = process.cpuUsage();
  for (const query of set) {
    const t = performance.now();
    const answer = answerQuestion(index, query.text, { limit: 10 });
    timings.push({ query, ms: performance.now() - t, total: answer.total });
  }
  const latencyMs = performance.now() - latencyStarted;
  const latencyCpu = process.cpuUsage(latencyCpuStarted);
  const queryCpuMs = (latencyCpu.user + latencyCpu.system) / 1000 / set.length;
  const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
  progress(
    `N=${fmt(n)}: latency p50 ${ms(percentile(sorted, 0.5))} p95 ${ms(percentile(sorted, 0.95))} p99 ${ms(percentile(sorted, 0.99))} max ${ms(sorted.at(-1) ?? 0)} ms, ${fmt(set.length / (latencyMs / 1000), 1)} queries/s`,
  );

  progress(`N=${fmt(n)}: recall en→en, zh→en`);
  const enEn = recall(index, questions.en);
  const zhEn = recall(index, questions.zh);
  progress(`N=${fmt(n)}: R@1 en→en ${enEn.atOne.toFixed(3)}, zh→en ${zhEn.atOne.toFixed(3)}`);
  index = null;
  collect();

  progress(`N=${fmt(n)}: building the index with Chinese needles, recall zh→zh`);
  const zhStarted = performance.now();
  let zhIndex: SearchIndex | null = buildIndex([...haystack, ...needles.zh], translator);
  const zhBuildMs = performance.now() - zhStarted;
  const zhZh = recall(zhIndex, questions.zh);
  progress(`N=${fmt(n)}: built in ${fmt(zhBuildMs)} ms; R@1 zh→zh ${zhZh.atOne.toFixed(3)}`);
  zhIndex = null;
  collect();

  let startup: SizeReport['startup'] = null;
  if (!values['no-startup']) {
    progress(`N=${fmt(n)}: start-up of the bot process`);
    startup = await startupWithRetry(english, questions.en[0]!.query);
  }

  const startupCell =
    startup === null ? '—' : 'error' in startup ? 'failed' : `${fmt(startup.cold.totalMs)} / ${fmt(startup.warm.totalMs)}${startup.cold.heapFlag && !botHeapMiB ? ' †' : ''}`;
  console.log(
    `| ${fmt(n)} | ${fmt(english.length)} | ${fmt(buildMs)} | ${fmt(english.length / (buildMs / 1000))} | ${fmt(heapPerPassage)} | ${startupCell} | ${ms(percentile(sorted, 0.5))} | ${ms(percentile(sorted, 0.95))} | ${ms(percentile(sorted, 0.99))} | ${ms(sorted.at(-1) ?? 0)} | ${fmt(set.length / (latencyMs / 1000), 1)} | ${enEn.atOne.toFixed(3)} | ${zhZh.atOne.toFixed(3)} | ${zhEn.atOne.toFixed(3)} |`,
  );
  const minutes = (performance.now() - sizeStarted) / 60_000;
  reports.push({ n, meanChars, timings, zhBuildMs, corpusBytesPerPassage, startup, minutes, buildCpuMs, queryCpuMs, loadAfter: loadavg()[0]!, recall: { enEn, zhZh, zhEn } });
  progress(`N=${fmt(n)}: done in ${minutes.toFixed(1)} min`);
}

// ------------------------------------------------------------------ details below the table

console.log('');
// With --bot-heap every bot had the flag from the start; † marks a retry after running out of memory.
if (!botHeapMiB && reports.some((r) => r.startup && !('error' in r.startup) && r.startup.cold.heapFlag)) {
  console.log('† the bot ran out of memory with Node\'s default heap and was started again with the flag shown below.');
  console.log('');
}
for (const report of reports) {
  console.log(`### N = ${fmt(report.n)}`);
  console.log('');
  console.log(
    `- haystack: mean ${fmt(report.meanChars)} characters/passage, ${fmt(report.corpusBytesPerPassage)} B/passage of memory for the passages themselves; build CPU time ${fmt(report.buildCpuMs)} ms (all threads, GC included); query CPU time ${ms(report.queryCpuMs)} ms/query on average; index with Chinese needles built in ${fmt(report.zhBuildMs)} ms; whole size took ${report.minutes.toFixed(1)} min; load average after ${report.loadAfter.toFixed(1)}`,
  );
  const { enEn, zhZh, zhEn } = report.recall;
  console.log(
    `- gold passage among the ${MAX_HITS} hits without the confidence gate (the most a re-ranking of them could reach): en→en ${enEn.reachable.toFixed(3)}, zh→zh ${zhZh.reachable.toFixed(3)}, zh→en ${zhEn.reachable.toFixed(3)}`,
  );
  const s = report.startup;
  if (s && 'error' in s) console.log(`- start-up failed: ${s.error.split('\n')[0]}`);
  else if (s) {
    for (const [label, run] of [['cold', s.cold], ['warm', s.warm]] as const) {
      console.log(
        `- start-up ${label}: ${fmt(run.totalMs)} ms to the first answer; the bot logged ${run.loadMs === null ? '?' : fmt(run.loadMs)} ms for the corpus (snapshot ${run.snapshot ?? '?'}), ready (polling) at ${run.readyMs === null ? '?' : fmt(run.readyMs)} ms; peak RSS ${run.peakRssMiB === null ? '?' : fmt(run.peakRssMiB)} MiB${run.heapFlag ? `; NODE_OPTIONS=${run.heapFlag}` : ''}${run.warning ? `; warning: ${truncate(run.warning, 120)}` : ''}`,
      );
    }
  }
  console.log('');
  console.log('| kind | n | p50 ms | p95 ms | max ms | mean hits |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const kinds = [...new Set(report.timings.map((t) => t.query.kind))].sort();
  for (const kind of kinds) {
    const of = report.timings.filter((t) => t.query.kind === kind);
    const sorted = of.map((t) => t.ms).sort((a, b) => a - b);
    const hits = of.reduce((sum, t) => sum + t.total, 0) / of.length;
    console.log(`| ${kind} | ${of.length} | ${ms(percentile(sorted, 0.5))} | ${ms(percentile(sorted, 0.95))} | ${ms(sorted.at(-1) ?? 0)} | ${fmt(hits, 1)} |`);
  }
  console.log('');
  console.log('Slowest queries:');
  console.log('');
  for (const t of [...report.timings].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
    console.log(`- ${ms(t.ms)} ms — ${t.query.kind}, ${fmt(t.query.text.length)} chars, ${fmt(t.total)} hits: \`${truncate(t.query.text, 60)}\``);
  }
  console.log('');
}
progress(`finished in ${((performance.now() - benchStarted) / 60_000).toFixed(1)} min`);

// ------------------------------------------------------------------ helpers

/** How a direction's questions fare: first answer right (gate on, as the bot answers), gold among the hits without the gate. */
interface Recall {
  atOne: number;
  /** Share whose gold passage is among the MAX_HITS hits without the confidence gate: the most any re-ranking of them could reach. */
  reachable: number;
}

function recall(index: SearchIndex, qs: readonly Question[]): Recall {
  let atOne = 0;
  let reachable = 0;
  for (const { query, gold } of qs) {
    const first = answerQuestion(index, query, { limit: 1 }).hits[0];
    if (first && gold.includes(first.passage.id)) atOne++;
    const ungated = index.search(normalizeQuestion(query), { gate: false });
    if (ungated.some((hit) => gold.includes(hit.passage.id))) reachable++;
  }
  return { atOne: atOne / qs.length, reachable: reachable / qs.length };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function truncate(text: string, max: number): string {
  const chars = [...text.replace(/`/g, "'")];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** Start-up with Node's default heap; if the bot runs out of memory, once more with a larger one. */
async function startupWithRetry(passages: readonly Passage[], question: string): Promise<SizeReport['startup']> {
  const attempt = async (options: StartupOptions) => {
    try {
      return await measureStartup(passages, question, options);
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  if (botHeapMiB) return attempt({ heapMiB: botHeapMiB });
  const first = await attempt({});
  if (!('error' in first) || !/heap out of memory|Allocation failed|Reached heap limit/i.test(first.error)) return first;
  progress('the bot ran out of memory with the default heap; again with --max-old-space-size=16384');
  return attempt({ heapMiB: 16384 });
}

/** The commit measured, and whether src/ differs from it (read-only git). */
function codeVersion(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim();
    return `commit ${commit}${dirty ? ` + uncommitted changes in src/ (${dirty.split('\n').length} files)` : ''}`;
  } catch {
    return 'unknown commit';
  }
}

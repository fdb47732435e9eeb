/**
 * `npm run bench:reload -- [--size N]`
 *
 * How long a reload stops the bot's event loop: re-indexes a folder of N bench passages (see
 * corpus.ts) on the main thread (openIndex) and on a worker thread (openIndexInWorker, what
 * /reload runs), and prints the time, the longest gap between the ticks of a 5 ms timer, and the
 * peak RSS of the process while the index it replaces is still held, as the bot holds it.
 * `--on worker` measures the worker alone (at 1M the main-thread run adds minutes);
 * `--one-document` writes the passages as the paragraphs of one Markdown file instead of JSON
 * Lines records (one document of N passages). A benchmark: it prints numbers and asserts nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../../src/logger.ts';
import { openIndex, openIndexInWorker } from '../../src/startup.ts';
import { chinesePool, englishPool, generateHaystack, writeJsonl } from './corpus.ts';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '20000' }, on: { type: 'string', default: 'main,worker' }, 'one-document': { type: 'boolean', default: false } },
});
const n = Number(values.size);
const threads = new Set(values.on.split(','));
const MiB = 1024 * 1024;
const dir = await mkdtemp(join(tmpdir(), 'citebot-reload-'));
try {
  const haystack = generateHaystack(n, { en: englishPool(), zh: chinesePool() });
  if (values['one-document']) await writeFile(join(dir, 'haystack.md'), `# Haystack\n\n${haystack.map((p) => p.text).join('\n\n')}\n`);
  else await writeJsonl(dir, 'haystack', haystack);
  const logger = createLogger('silent');
  // The index being replaced: the bot answers from it (and holds it) until the reload is done.
  const current = await openIndex(dir, logger, { cacheDir: null });
  const held = process.memoryUsage().rss;
  const shape = values['one-document'] ? ' (one document)' : '';
  console.log(`| reload of ${current.corpus.passages.length.toLocaleString('en-US')} passages${shape} | time s | longest event-loop stall ms | RSS before MiB | peak RSS MiB |`);
  console.log('|---|---:|---:|---:|---:|');
  const runs = [['main', 'main thread (openIndex)', openIndex], ['worker', 'worker thread (openIndexInWorker)', openIndexInWorker]] as const;
  for (const [key, name, open] of runs) {
    if (!threads.has(key)) continue;
    const before = process.memoryUsage().rss;
    let peak = before;
    let last = performance.now();
    let longest = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const started = performance.now();
    const reloaded = await open(dir, logger, { cacheDir: null });
    const ms = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50)); // let a tick see the end of a blocking stretch
    clearInterval(tick);
    console.log(`| ${name} | ${(ms / 1000).toFixed(1)} | ${longest.toFixed(0)} | ${(before / MiB).toFixed(0)} | ${(peak / MiB).toFixed(0)} |`);
    if (reloaded.corpus.passages.length !== current.corpus.passages.length) throw new Error('the reload indexed another corpus');
  }
  console.log(`\nRSS with the first index held: ${(held / MiB).toFixed(0)} MiB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

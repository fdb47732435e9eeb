/**
 * `npm run bench:reload -- [--size N]`
 *
 * How long a reload stops the bot's event loop: re-indexes a folder of N bench passages (see
 * corpus.ts) on the main thread (openIndex) and on a worker thread (openIndexInWorker, what
 * /reload runs), and prints the time and the longest gap between the ticks of a 5 ms timer. A
 * benchmark: it prints numbers and asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../../src/logger.ts';
import { openIndex, openIndexInWorker } from '../../src/startup.ts';
import { chinesePool, englishPool, generateHaystack, writeJsonl } from './corpus.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: '20000' } } });
const n = Number(values.size);
const dir = await mkdtemp(join(tmpdir(), 'citebot-reload-'));
try {
  await writeJsonl(dir, 'haystack', generateHaystack(n, { en: englishPool(), zh: chinesePool() }));
  const logger = createLogger('silent');
  await openIndex(dir, logger, { cacheDir: null }); // the bot has loaded the dictionary before any reload
  console.log(`| reload of ${n.toLocaleString('en-US')} passages | time s | longest event-loop stall ms |`);
  console.log('|---|---:|---:|');
  for (const [name, open] of [['main thread (openIndex)', openIndex], ['worker thread (openIndexInWorker)', openIndexInWorker]] as const) {
    let last = performance.now();
    let longest = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    await open(dir, logger, { cacheDir: null });
    const ms = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50)); // let a tick see the end of a blocking stretch
    clearInterval(tick);
    console.log(`| ${name} | ${(ms / 1000).toFixed(1)} | ${longest.toFixed(0)} |`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

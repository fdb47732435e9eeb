/** Start-up over a damaged index snapshot: the bot warns, rebuilds, starts and answers. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { openIndex } from '../../src/startup.ts';
import { E2E_TIMEOUT_MS, logLines, ROOT } from '../support/bot-process.ts';
import { passagesOf, sendAndWaitForReply } from '../support/e2e.ts';
import { useBot } from '../support/use-bot.ts';

let cache = '';

const t = useBot({
  async before() {
    cache = await mkdtemp(join(tmpdir(), 'citebot-cache-'));
    // The snapshot the bot would find, written as the bot writes it, then damaged in the middle.
    await openIndex(join(ROOT, 'data'), createLogger('silent'), { cacheDir: cache });
    const [name] = (await readdir(cache)).filter((f) => f.endsWith('.v8'));
    const bytes = await readFile(join(cache, name!));
    bytes.fill(0x5a, bytes.length >> 1, (bytes.length >> 1) + 64);
    await writeFile(join(cache, name!), bytes);
    return { env: { INDEX_CACHE_DIR: cache } };
  },
  after: () => rm(cache, { recursive: true, force: true }),
});

describe('a damaged index snapshot', { timeout: E2E_TIMEOUT_MS }, () => {
  it('the bot warns, rebuilds the index, starts and answers', async () => {
    const lines = logLines(t.bot.stderr);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, msg: 'index snapshot unreadable; rebuilding', reason: 'checksum mismatch' }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'corpus loaded', snapshot: 'written', passages: 22 }));
    const { html } = await sendAndWaitForReply(t.emu, { text: 'China-Kyrgyzstan-Uzbekistan railway' });
    expect(passagesOf(html).length).toBeGreaterThan(0);
    t.expectCleanRun();
  });
});

/**
 * Documents built to slow the bot down — a 1 MB passage, a 50,000-letter word, a 100,000-character
 * title — are indexed at start-up and answered like any other.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, logLines } from '../support/bot-process.ts';
import { problems, sendAndWaitForReply } from '../support/e2e.ts';
import { useBot } from '../support/use-bot.ts';
import { letters, prose } from '../support/long-text.ts';


let dataDir: string;
const t = useBot({
  async before() {
    dataDir = await mkdtemp(join(tmpdir(), 'citebot-huge-'));
    const records = [
      { id: 'megabyte', title: 'One megabyte', source: 'Bulk', text: `zqxmega ${prose(1_000_000)}` },
      { id: 'word', title: 'Long word', text: `zqxword ${letters(50_000)} end` },
      { id: 'title', title: `zqxtitle ${letters(100_000)}`, text: 'The zqxtitle survey of the Fergana valley.' },
    ];
    await writeFile(join(dataDir, 'huge.jsonl'), `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    return { dataDir, env: { INDEX_CACHE_DIR: 'off' } };
  },
  after: () => rm(dataDir, { recursive: true, force: true }),
});

describe('huge documents', { timeout: E2E_TIMEOUT_MS }, () => {
  it('are split into passages of the usual size at load', () => {
    const loaded = logLines(t.bot.stderr).find((l) => l.msg === 'corpus loaded')!;
    // 1 MB in passages of at most 600 characters: well over 1,600 of them.
    expect(loaded.passages as number).toBeGreaterThan(1_600);
  });

  it('answers a question found in the 1 MB document', async () => {
    const { message } = await sendAndWaitForReply(t.emu, { text: 'zqxmega railway freight' });
    expect(message.text).toMatch(/^1\. /);
    expect(message.text).toMatch(/One megabyte · Bulk/);
    const again = await sendAndWaitForReply(t.emu, { text: 'Kashgar customs border' });
    expect(again.message.text).toMatch(/One megabyte/);
  });

  it('answers the 50,000-letter word and the 100,000-character title, with a short source line', async () => {
    const word = await sendAndWaitForReply(t.emu, { text: 'zqxword' });
    expect(word.message.text).toMatch(/Long word/);
    const title = await sendAndWaitForReply(t.emu, { text: 'zqxtitle Fergana' });
    expect(title.message.text).toMatch(/zqxtitle/);
    expect(title.message.text!.length).toBeLessThan(1_000);
  });

  it('made only valid calls and stops with exit 0', async () => {
    expect(problems(t.emu)).toEqual([]);
    expect(await t.bot.stop()).toBe(0);
    t.expectCleanRun();
  });
});

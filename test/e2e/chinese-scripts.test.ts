/** Simplified and traditional Chinese find each other (#14): the bot process, its data folder, the emulator. */
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, ROOT } from '../support/bot-process.ts';
import { passagesOf, sendAndWait } from '../support/e2e.ts';
import { useBot } from '../support/use-bot.ts';

/** A document written in traditional characters, beside the shipped (simplified) digest. */
const TRADITIONAL = [
  {
    id: 'thsr-1',
    title: '臺灣高速鐵路',
    source: '交通週報',
    date: '2024-03-01',
    text: '臺灣高速鐵路於2007年通車，連接臺北與高雄，全長約三百五十公里，最高時速三百公里。',
  },
  {
    id: 'tea-1',
    title: '烏龍茶產區',
    source: '農業月刊',
    date: '2024-04-01',
    text: '阿里山的高山烏龍茶以清香著稱，每年春季與冬季各採收一次。',
  },
];

let dataDir: string;

const t = useBot({
  async before() {
    dataDir = await mkdtemp(join(tmpdir(), 'citebot-scripts-'));
    for (const file of await readdir(join(ROOT, 'data'))) await copyFile(join(ROOT, 'data', file), join(dataDir, file));
    await writeFile(join(dataDir, 'traditional.jsonl'), TRADITIONAL.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return { dataDir, env: { INDEX_CACHE_DIR: 'off' } };
  },
  after: () => rm(dataDir, { recursive: true, force: true }),
});

describe('traditional and simplified Chinese in a private chat', { timeout: E2E_TIMEOUT_MS }, () => {
  it('answers a simplified question with a traditional passage, its matched characters in bold', async () => {
    const { html } = await sendAndWait(t.emu, { text: '台湾高速铁路什么时候通车？' });
    const [first] = passagesOf(html);
    expect(first!.source).toContain('臺灣高速鐵路 · 交通週報 · 2024-03-01');
    expect(first!.text).toContain('<b>臺灣高速鐵路</b>於2007年<b>通車</b>');
  });

  it('answers a traditional question as its simplified form: the digest\'s railway passages', async () => {
    const traditional = passagesOf((await sendAndWait(t.emu, { text: '中吉烏鐵路' })).html);
    const simplified = passagesOf((await sendAndWait(t.emu, { text: '中吉乌铁路' })).html);
    expect(traditional.length).toBeGreaterThanOrEqual(1);
    expect(traditional).toEqual(simplified);
    expect(traditional.some((p) => /<b>railway<\/b>/i.test(p.text))).toBe(true);
  });

  it('makes only valid calls and logs no errors', () => {
    t.expectCleanRun();
  });
});

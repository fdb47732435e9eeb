/**
 * A bot started on someone else's documents: /start and /help show examples from those documents
 * (and a /reload brings new ones, with Chinese lookups from the operator's aliases for English
 * documents), and an untitled JSON Lines record is cited by its file name.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS } from '../support/bot-process.ts';
import { CHINESE_USER, passagesOf, sendAndWait, sentOf, WAIT_MS } from '../support/e2e.ts';
import { useBot } from '../support/use-bot.ts';

const ADMIN = { id: 400011, first_name: 'Ann', language_code: 'en' };

const TEA_ROAD = `---
title: Caravans of the southwest
source: Example Quarterly
date: 2024-05-01
---
## Routes
The Tea Horse Road linked Yunnan with Tibet for centuries.

Mule caravans on the Tea Horse Road carried pressed tea bricks from Pu'er.

Traders from Lijiang joined the Tea Horse Road every spring.
`;
const TEA_ROAD_ZH = '# 茶马古道\n\n茶马古道连接云南和西藏，马帮运送普洱茶。\n\n马帮沿着茶马古道把普洱茶砖运到拉萨。\n';
const UNTITLED = `${JSON.stringify({ id: 'salt-1', text: 'Salt wells at Yanjing were worked by hand with brine buckets.' })}\n`;
const GLASS = `---
title: Glassmakers of Murano
---
The Murano Glass Museum keeps furnaces from the fifteenth century.

Every Murano Glass workshop had its own recipes for colour.
`;

let dataDir: string;

const t = useBot({
  async before() {
    dataDir = await mkdtemp(join(tmpdir(), 'citebot-examples-'));
    await writeFile(join(dataDir, 'tea-road.md'), TEA_ROAD);
    await writeFile(join(dataDir, 'tea-road-zh.md'), TEA_ROAD_ZH);
    await writeFile(join(dataDir, 'salt-wells.jsonl'), UNTITLED);
    return { dataDir, env: { ADMIN_IDS: String(ADMIN.id), INDEX_CACHE_DIR: 'off' } };
  },
  after: () => rm(dataDir, { recursive: true, force: true }),
});

/** The example lookups of a /help or /start reply, as sent (HTML). */
const examplesIn = (html: string) => [...html.matchAll(/<i>([^<]*)<\/i>/g)].map((m) => m[1]!);

describe('examples from the loaded documents', { timeout: E2E_TIMEOUT_MS }, () => {
  it('/help shows lookups from these documents, in the user’s language, that the bot answers', async () => {
    const en = await sendAndWait(t.emu, { text: '/help' });
    const english = examplesIn(en.html);
    expect(english).toContain('Tea Horse Road');
    expect(en.html).not.toContain('Central Asia');
    const zh = await sendAndWait(t.emu, { from: CHINESE_USER, text: '/help' });
    expect(examplesIn(zh.html)[0]).toMatch(/茶马古道|普洱茶|马帮/);

    for (const example of english) {
      const { html } = await sendAndWait(t.emu, { text: example });
      expect(passagesOf(html).length, example).toBeGreaterThan(0);
    }
  });

  it('/start shows them too', async () => {
    const { html } = await sendAndWait(t.emu, { text: '/start' });
    expect(html).toMatch(/^Hi! I answer questions/);
    expect(examplesIn(html)).toContain('Tea Horse Road');
  });

  it('cites a JSON Lines record without a title by its file name', async () => {
    const { html } = await sendAndWait(t.emu, { text: 'salt wells brine' });
    expect(passagesOf(html)[0]!.source).toBe('<i>— salt wells</i>');
  });

  it('/reload brings examples from the documents it loaded', async () => {
    await rm(join(dataDir, 'tea-road.md'));
    await rm(join(dataDir, 'tea-road-zh.md'));
    await writeFile(join(dataDir, 'murano.md'), GLASS);
    await writeFile(join(dataDir, 'aliases.txt'), '穆拉诺玻璃 = Murano Glass\n');
    const since = t.emu.mark();
    await sendAndWait(t.emu, { from: ADMIN, text: '/reload' });
    sentOf(await t.emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === ADMIN.id && /^Reloaded/.test(String(c.params.text)), { since, timeoutMs: WAIT_MS }));

    const { html } = await sendAndWait(t.emu, { text: '/help' });
    expect(examplesIn(html)).toContain('Glassmakers of Murano');
    expect(html).not.toContain('Tea Horse Road');

    // The documents are English; the operator's alias gives a Chinese user a lookup in Chinese that finds them.
    const zh = await sendAndWait(t.emu, { from: CHINESE_USER, text: '/help' });
    expect(examplesIn(zh.html)[0]).toBe('穆拉诺玻璃');
    const answer = await sendAndWait(t.emu, { from: CHINESE_USER, text: '穆拉诺玻璃' });
    expect(passagesOf(answer.html).length).toBeGreaterThan(0);
    expect(answer.html.replace(/<[^>]*>/g, '')).toContain('Murano Glass');
  });

  it('made only valid calls and logged no error', () => {
    // The one refusal: the admin's menu at start-up, before the admin had a chat with the bot.
    t.expectCleanRun({ problems: [expect.objectContaining({ method: 'setMyCommands', description: 'Bad Request: chat not found' })] });
  });
});

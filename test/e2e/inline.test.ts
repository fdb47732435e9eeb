/** Inline mode: `@bot words` lists passages ten at a time; a chosen one is posted with its source. */
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, ROOT } from '../support/bot-process.ts';
import { CHINESE_USER, sendAndWaitForReply, WAIT_MS } from '../support/e2e.ts';
import { type InlineQueryInput, parseHtml } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';

/** 25 records that share the word "caravan", plus one with HTML-like characters everywhere. */
const TOWNS = 'Kashgar Osh Andijan Samarkand Bukhara Khiva Merv Almaty Bishkek Tashkent Dushanbe Khujand Termez Urumqi Turpan Hami Dunhuang Lanzhou Xian Taraz Turkestan Shymkent Kokand Fergana Naryn'.split(' ');
const CARAVANS = [
  ...TOWNS.map((town, i) => ({
    id: `caravan-${i + 1}`,
    text: `A caravan of ${10 + i} camels rested in ${town} on its way along the old road.`,
    title: `Caravan stop ${i + 1}: ${town}`,
    source: 'Silk Road Gazette',
    date: `2024-05-${String(i + 1).padStart(2, '0')}`,
    ...(i === 0 ? { url: 'https://example.com/caravan?a=1&b=2' } : {}),
  })),
  { id: 'odd-1', text: 'Tea <cups> & "saucers" were traded for felt on the caravan road.', title: '<Silk> & "Road" notes', source: 'A&B <Press>', date: '2024-06-01' },
];

let dataDir: string;

const t = useBot({
  async before() {
    // the shipped documents plus the caravans, so both "railway" and a long list of hits can be asked
    dataDir = await mkdtemp(join(tmpdir(), 'citebot-inline-'));
    for (const file of await readdir(join(ROOT, 'data'))) await copyFile(join(ROOT, 'data', file), join(dataDir, file));
    await writeFile(join(dataDir, 'caravans.jsonl'), CARAVANS.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return { dataDir };
  },
  after: () => rm(dataDir, { recursive: true, force: true }),
});

interface Article {
  type: string;
  id: string;
  title: string;
  description?: string;
  input_message_content: { message_text: string; parse_mode?: string };
}

/** Sends an inline query and resolves with the bot's answer to it. */
async function inline(input: InlineQueryInput) {
  const queryId = t.emu.sendInlineQuery(input);
  const call = await t.emu.waitForCall('answerInlineQuery', (c) => c.params.inline_query_id === queryId, { timeoutMs: WAIT_MS });
  expect(call.ok, call.description).toBe(true);
  const params = call.params as { results: Article[]; next_offset?: string; cache_time?: number; button?: { text: string; start_parameter?: string } };
  return { queryId, ...params };
}

describe('inline mode', { timeout: E2E_TIMEOUT_MS }, () => {
  it('lists passages: title = start of the passage, description = publisher · date, HTML message with its source', async () => {
    const { results, cache_time, next_offset } = await inline({ query: 'railway', chat_type: 'supergroup' });
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results.length).toBeLessThanOrEqual(10);
    expect(cache_time).toBeLessThanOrEqual(300);
    expect(next_offset ?? '').toBe('');
    for (const r of results) {
      expect(r.type).toBe('article');
      expect(Buffer.byteLength(r.id)).toBeLessThanOrEqual(64);
      expect(r.description).toMatch(/^.+ · \d{4}-\d{2}-\d{2}/);
      expect(r.input_message_content.parse_mode).toBe('HTML');
      const parsed = parseHtml(r.input_message_content.message_text);
      expect(parsed.text.startsWith(r.title.replace(/…$/, ''))).toBe(true);
      expect(r.input_message_content.message_text).toMatch(/\n<i>— .+ · .+ · \d{4}-\d{2}-\d{2}/);
    }
    expect(results.some((r) => /<b>railway<\/b>/i.test(r.input_message_content.message_text))).toBe(true);
    expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
  });

  it('pages more than ten hits with next_offset, without repeating a result', async () => {
    const first = await inline({ query: 'caravan' });
    expect(first.results).toHaveLength(10);
    expect(first.next_offset).toBeTruthy();
    const second = await inline({ query: 'caravan', offset: first.next_offset! });
    expect(second.results).toHaveLength(10);
    expect(second.next_offset).toBeTruthy();
    const third = await inline({ query: 'caravan', offset: second.next_offset! });
    expect(third.results.length).toBeGreaterThanOrEqual(5);
    expect(third.results.length).toBeLessThanOrEqual(10);
    expect(third.next_offset ?? '').toBe('');
    const ids = [...first.results, ...second.results, ...third.results].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(CARAVANS.length);
    for (const id of ids) expect(Buffer.byteLength(id)).toBeLessThanOrEqual(64);
  });

  it('posts the chosen passage with its source, links and HTML-like text intact', async () => {
    const { queryId, results } = await inline({ query: 'caravan Kashgar' });
    const kashgar = results.find((r) => r.title.includes('Kashgar'))!;
    const chosen = t.emu.chooseInlineResult({ queryId, resultId: kashgar.id });
    expect(chosen.message.via_bot?.username).toBe('citebot_test_bot');
    expect(chosen.message.text).toMatch(/Kashgar/);
    expect(chosen.message.text).toMatch(/— Caravan stop 1: Kashgar · Silk Road Gazette · 2024-05-01/);
    expect(chosen.message.entities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'bold' }),
        expect.objectContaining({ type: 'text_link', url: 'https://example.com/caravan?a=1&b=2' }),
      ]),
    );

    const odd = await inline({ query: 'tea saucers' });
    const tea = odd.results.find((r) => r.title.startsWith('Tea'))!;
    expect(tea.title).toBe('Tea <cups> & "saucers" were traded for felt on the caravan road.');
    expect(tea.description).toBe('A&B <Press> · 2024-06-01');
    const posted = t.emu.chooseInlineResult({ queryId: odd.queryId, resultId: tea.id });
    expect(posted.message.text).toContain('Tea <cups> & "saucers"');
    expect(posted.message.text).toContain('— <Silk> & "Road" notes · A&B <Press> · 2024-06-01');
  });

  it('stays silent when its inline result is posted in a group', async () => {
    const group = { id: -1001000000077, type: 'supergroup', title: 'Travellers' } as const;
    const { queryId, results } = await inline({ query: 'railway', chat_type: 'supergroup' });
    const since = t.emu.mark();
    const posted = t.emu.chooseInlineResult({ queryId, resultId: results[0]!.id, chat: group });
    expect(posted.message_delivery.delivered).toBe(true);
    const probe = await sendAndWaitForReply(t.emu, { chat: group, text: '/ask caravan' });
    const sends = t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage');
    expect(sends.map((c) => c.seq)).toEqual([probe.call.seq]);
  });

  it('answers an empty query with a button that opens the private chat', async () => {
    const { results, button, cache_time } = await inline({ query: '' });
    expect(results).toEqual([]);
    expect(button).toMatchObject({ text: 'Type words to search the documents', start_parameter: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) });
    expect(cache_time).toBeLessThanOrEqual(300);
    const zh = await inline({ query: '', from: CHINESE_USER });
    expect(zh.button?.text).toBe('输入关键词搜索文档');
  });

  it('answers an unanswerable query with a "nothing found" button', async () => {
    const { results, button } = await inline({ query: 'What is the capital of France?' });
    expect(results).toEqual([]);
    expect(button?.text).toMatch(/^Nothing found/);
    expect(button?.start_parameter).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('copes with HTML-like and very long inline queries', async () => {
    const html = await inline({ query: '<b>caravan</b> & <i>tea' });
    expect(Array.isArray(html.results)).toBe(true);
    const long = await inline({ query: `caravan ${'x'.repeat(300)}` });
    expect(Array.isArray(long.results)).toBe(true);
  });

  it('made only valid calls, stops on SIGTERM with exit 0, and never wrote its token', async () => {
    expect(await t.bot.stop()).toBe(0);
    t.expectCleanRun();
  });
});

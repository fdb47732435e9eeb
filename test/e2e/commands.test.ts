/** /start (with and without a deep-link question), /help, /sources, and the command menus set at start-up. */
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS } from '../support/bot-process.ts';
import { CHINESE_USER, passagesOf, sendAndWait } from '../support/e2e.ts';
import { useBot } from '../support/use-bot.ts';

const t = useBot();

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('commands', { timeout: E2E_TIMEOUT_MS }, () => {
  it('registers the command menus in English and Chinese, for private chats and groups, at start-up', () => {
    const menus = t.emu.commands.map((c) => ({ scope: c.scopeKey, lang: c.language_code, commands: c.commands.map((x) => x.command) }));
    expect(menus).toEqual(
      expect.arrayContaining([
        { scope: 'all_private_chats', lang: '', commands: expect.arrayContaining(['start', 'help', 'sources']) },
        { scope: 'all_private_chats', lang: 'zh', commands: expect.arrayContaining(['start', 'help', 'sources']) },
        { scope: 'all_group_chats', lang: '', commands: expect.arrayContaining(['ask', 'help']) },
        { scope: 'all_group_chats', lang: 'zh', commands: expect.arrayContaining(['ask', 'help']) },
      ]),
    );
    const zh = t.emu.commands.find((c) => c.scopeKey === 'all_private_chats' && c.language_code === 'zh')!;
    const en = t.emu.commands.find((c) => c.scopeKey === 'all_private_chats' && c.language_code === '')!;
    expect(zh.commands.every((c) => /[\u4e00-\u9fff]/.test(c.description))).toBe(true);
    expect(en.commands.every((c) => /^[\x20-\x7e]+$/.test(c.description))).toBe(true);
  });

  it('/start introduces the bot in English', async () => {
    const { call, message } = await sendAndWait(t.emu, { text: '/start' });
    expect(call.params.parse_mode).toBe('HTML');
    expect(message.text).toMatch(/^Hi! I answer questions/);
    expect(message.text).toContain('@citebot_test_bot');
    expect(message.text).toContain('/ask');
  });

  it('/start introduces the bot in Chinese to a zh-hans user', async () => {
    const { message } = await sendAndWait(t.emu, { from: CHINESE_USER, text: '/start' });
    expect(message.text).toMatch(/^你好！/);
    expect(message.text).toContain('使用方法');
  });

  it('/help explains how to ask, in English and in Chinese', async () => {
    const en = await sendAndWait(t.emu, { text: '/help' });
    expect(en.message.text).toMatch(/^How to use me/);
    expect(en.message.entities?.[0]).toMatchObject({ type: 'bold', offset: 0 });
    const zh = await sendAndWait(t.emu, { from: CHINESE_USER, text: '/help' });
    expect(zh.message.text).toMatch(/^使用方法/);
    expect(zh.message.text).toContain('@citebot_test_bot');
  });

  it('/help on the shipped digest gives a Chinese user subjects it answers, not pieces of its headlines', async () => {
    const sources = await sendAndWait(t.emu, { text: '/sources' });
    const titles = sources.message.text!.split('\n').filter((line) => line.startsWith('• ')).map((line) => line.slice(2).split(' — ')[0]!);
    expect(titles.length).toBeGreaterThan(0);
    const { html } = await sendAndWait(t.emu, { from: CHINESE_USER, text: '/help' });
    const examples = [...html.matchAll(/<i>([^<]*)<\/i>/g)].map((m) => m[1]!);
    expect(examples.length).toBe(2);
    for (const example of examples) {
      expect(example, example).toMatch(/^\p{Script=Han}+$/u);
      expect(titles.filter((title) => title.includes(example)), example).toEqual([]);
      const answer = await sendAndWait(t.emu, { from: CHINESE_USER, text: example });
      expect(passagesOf(answer.html).length, example).toBeGreaterThan(0);
    }
  });

  it('/sources lists the documents with passage counts and dates, in English and in Chinese', async () => {
    const en = await sendAndWait(t.emu, { text: '/sources' });
    expect(en.message.text).toMatch(/^\d+ documents, \d+ passages/);
    expect(en.message.text).toMatch(/Ren Min Ri Bao · 2025-06-22/);
    expect(en.message.text).toMatch(/— \d+ passages/);
    expect(en.message.text!.length).toBeLessThanOrEqual(4096);
    const zh = await sendAndWait(t.emu, { from: CHINESE_USER, text: '/sources' });
    expect(zh.message.text).toMatch(/^\d+ 篇文档，\d+ 个段落/);
    expect(zh.message.text).toMatch(/— \d+ 段/);
  });

  it('/start q-<base64url question> answers the question', async () => {
    const { html, message, asked } = await sendAndWait(t.emu, { text: `/start q-${base64url('中吉乌铁路')}` });
    expect(message.reply_to_message?.message_id).toBe(asked.message_id);
    const passages = passagesOf(html);
    expect(passages.length).toBeGreaterThan(0);
    expect(html).toMatch(/<b>railway<\/b>|<b>铁路<\/b>/i);
  });

  it('/start q-<base64url English question> answers it too', async () => {
    const { html } = await sendAndWait(t.emu, { text: `/start q-${base64url('trade growth')}` });
    expect(passagesOf(html).some((p) => /<b>trade<\/b>/i.test(p.text))).toBe(true);
  });

  it('/start words_joined_by_underscores answers those words', async () => {
    const { html } = await sendAndWait(t.emu, { text: '/start railway_projects' });
    const passages = passagesOf(html);
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.some((p) => /<b>railway<\/b>/i.test(p.text))).toBe(true);
  });

  it('/start help and a broken q- payload show the introduction', async () => {
    const help = await sendAndWait(t.emu, { text: '/start help' });
    expect(help.message.text).toMatch(/^Hi! I answer questions/);
    const broken = await sendAndWait(t.emu, { text: `/start q-${Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')}` });
    expect(broken.message.text).toMatch(/^Hi! I answer questions/);
  });

  it('made only valid calls, stops on SIGTERM with exit 0, and never wrote its token', async () => {
    expect(await t.bot.stop()).toBe(0);
    t.expectCleanRun();
  });
});

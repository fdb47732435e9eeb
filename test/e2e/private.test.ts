/** Private chat: every message is a question, answered with cited passages, or a helpful "nothing found". */
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS } from '../support/bot-process.ts';
import { buttonsOf, CHINESE_USER, passagesOf, sendAndWait, sendAndWaitForReply } from '../support/e2e.ts';
import { DEFAULT_USER } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';

const t = useBot();

/** Source lines look like `<i>— title · publisher · date · section (¶ refs)</i>`. */
const SOURCE_LINE = /^<i>— .+ · .+ · \d{4}-\d{2}-\d{2}[^·]* · .+ \(¶ \d+(, \d+)*\)<\/i>$/;

describe('questions in a private chat', { timeout: E2E_TIMEOUT_MS }, () => {
  it('answers an English question with cited passages, matched words in bold, as a reply in HTML', async () => {
    const { call, html, message, asked } = await sendAndWait(t.emu, { text: 'How much has trade between China and Central Asia grown?' });
    expect(call.params.parse_mode).toBe('HTML');
    expect(call.params.reply_parameters).toMatchObject({ message_id: asked.message_id });
    expect(message.reply_to_message?.message_id).toBe(asked.message_id);

    const passages = passagesOf(html);
    expect(passages.length).toBeGreaterThanOrEqual(1);
    expect(passages.length).toBeLessThanOrEqual(3);
    expect(passages.map((p) => p.n)).toEqual(passages.map((_, i) => i + 1));
    for (const p of passages) expect(p.source).toMatch(SOURCE_LINE);
    expect(passages.some((p) => /<b>trade<\/b>/i.test(p.text))).toBe(true);
    expect(html).toMatch(/35%/); // the passage that says how much trade grew
    expect(message.entities?.some((e) => e.type === 'bold')).toBe(true);
    expect(message.entities?.some((e) => e.type === 'italic')).toBe(true);
    expect(message.text!.length).toBeLessThanOrEqual(4096);

    const share = buttonsOf(message).find((b) => 'switch_inline_query' in b);
    expect(share).toMatchObject({ text: 'Share', switch_inline_query: expect.stringContaining('trade') });
  });

  it('answers a Chinese question with passages about the railway', async () => {
    const { html, message, asked } = await sendAndWait(t.emu, { text: '中吉乌铁路' });
    expect(message.reply_to_message?.message_id).toBe(asked.message_id);
    const passages = passagesOf(html);
    expect(passages.length).toBeGreaterThanOrEqual(1);
    expect(passages.some((p) => /<b>[^<]*railway[^<]*<\/b>|<b>[^<]*铁路[^<]*<\/b>/i.test(p.text))).toBe(true);
    for (const p of passages) expect(p.source).toMatch(SOURCE_LINE);
    expect(buttonsOf(message).find((b) => 'switch_inline_query' in b)).toMatchObject({ switch_inline_query: '中吉乌铁路' });
  });

  it('offers "More" when there are more passages than fit one page, next to "Share"', async () => {
    const { html, message } = await sendAndWait(t.emu, { text: 'cooperation' });
    expect(passagesOf(html)).toHaveLength(3);
    const labels = buttonsOf(message).map((b) => b.text);
    expect(labels).toContain('More ›');
    expect(labels).toContain('Share');
    const more = buttonsOf(message).find((b) => b.text === 'More ›');
    expect(more && 'callback_data' in more && Buffer.byteLength(more.callback_data!)).toBeLessThanOrEqual(64);
  });

  it('says briefly that nothing was found, with suggestions and no citation or buttons', async () => {
    const { html, message, asked } = await sendAndWait(t.emu, { text: 'What is the capital of France?' });
    expect(message.reply_to_message?.message_id).toBe(asked.message_id);
    expect(message.text).toMatch(/^Nothing found for «What is the capital of France\?»/);
    expect(message.text).toMatch(/\/help/);
    expect(html).not.toMatch(/<i>— /);
    expect(message.text).not.toMatch(/¶/);
    expect(message.text!.length).toBeLessThan(300);
    expect(message.reply_markup).toBeUndefined();
  });

  it('says "nothing found" in Chinese to a Chinese-speaking user', async () => {
    const { message } = await sendAndWait(t.emu, { from: CHINESE_USER, text: '法国的首都是哪里？' });
    expect(message.text).toMatch(/^没有找到与「法国的首都是哪里？」相关的内容/);
    expect(message.reply_markup).toBeUndefined();
  });

  it('reads the caption of a photo as the question', async () => {
    const since = t.emu.mark();
    const photo = t.emu.sendUserMessage({
      text: '',
      extra: { text: undefined, caption: 'railway', photo: [{ file_id: 'AgAD', file_unique_id: 'AQAD', width: 90, height: 90 }] },
    });
    expect(photo.delivered).toBe(true);
    const call = await t.emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === DEFAULT_USER.id, { since, timeoutMs: 10_000 });
    expect(String(call.params.text)).toMatch(/<b>railway<\/b>/i);
  });

  it('points an unknown command to /help', async () => {
    const { message } = await sendAndWait(t.emu, { text: '/frobnicate' });
    expect(message.text).toMatch(/\/help/);
  });

  it('answers /ask question here too, as in groups', async () => {
    const { html, asked, call } = await sendAndWait(t.emu, { text: '/ask China-Kyrgyzstan-Uzbekistan railway' });
    expect(call.params.reply_parameters).toMatchObject({ message_id: asked.message_id });
    expect(passagesOf(html).length).toBeGreaterThanOrEqual(1);
    expect(html).toMatch(/<b>railway<\/b>/i);
  });

  it('ignores its own inline results posted in the chat instead of answering them', async () => {
    const queryId = t.emu.sendInlineQuery({ query: 'railway' });
    const answered = await t.emu.waitForCall('answerInlineQuery', (c) => c.params.inline_query_id === queryId, { timeoutMs: 10_000 });
    const results = answered.params.results as Array<{ id: string }>;
    const since = t.emu.mark();
    const posted = t.emu.chooseInlineResult({ queryId, resultId: results[0]!.id });
    expect(posted.message_delivery.delivered).toBe(true);
    // a question the bot answers, after which the posted result has certainly been handled
    const { asked } = await sendAndWaitForReply(t.emu, { text: 'trade' });
    const sends = t.emu.calls.filter((c) => c.seq >= since && c.method === 'sendMessage');
    expect(sends.map((c) => (c.params.reply_parameters as { message_id: number } | undefined)?.message_id)).toEqual([asked.message_id]);
  });

  it('made only valid calls and never wrote its token', async () => {
    expect(await t.bot.stop()).toBe(0);
    t.expectCleanRun();
  });
});

/** Groups: quiet unless asked — /ask, /ask as a reply, replies to the bot's answers (text or captioned media); forum topics. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS } from '../support/bot-process.ts';
import { buttonsOf, passagesOf, sendAndWait, sendAndWaitForReply, WAIT_MS } from '../support/e2e.ts';
import type { EmulatorCall } from '../support/emulator.ts';
import { TELEGRAM_UPDATES as UPDATES } from '../support/fixtures.ts';
import { useBot } from '../support/use-bot.ts';

const t = useBot({ emulator: { privacyMode: true } });

const GROUP = { id: -1001000000001, type: 'supergroup', title: 'Readers' } as const;
const FORUM = { id: -1001000000002, type: 'supergroup', title: 'Forum', is_forum: true } as const;
const BO = { id: 200002, first_name: 'Bo', username: 'bo_test', language_code: 'en' };
const CY = { id: 200003, first_name: 'Cy', username: 'cy_test', language_code: 'en' };

const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, UPDATES), 'utf8')) as Record<string, unknown>;

/** What the bot did since `since`, apart from polling. */
const actionsSince = (since: number): EmulatorCall[] => t.emu.calls.slice(since).filter((c) => c.method !== 'getUpdates');

/**
 * Runs `act` (things the bot must not answer), then asks a question the bot does answer; since the
 * bot handles updates in order, once that answer is there everything before it has been handled.
 * Resolves with everything the bot did other than that answer.
 */
async function expectSilence(act: () => void): Promise<EmulatorCall[]> {
  const since = t.emu.mark();
  act();
  const probe = await sendAndWaitForReply(t.emu, { chat: GROUP, from: CY, text: '/ask railway' });
  return actionsSince(since).filter((c) => c.seq !== probe.call.seq);
}

describe('in a group with privacy mode on', { timeout: E2E_TIMEOUT_MS }, () => {
  it('/ask question replies to the asking message with at most two passages and their sources', async () => {
    const { call, html, message, asked } = await sendAndWait(t.emu, { chat: GROUP, from: BO, text: '/ask cooperation' });
    expect(call.params.parse_mode).toBe('HTML');
    expect(message.reply_to_message?.message_id).toBe(asked.message_id);
    const passages = passagesOf(html);
    expect(passages.length).toBeGreaterThanOrEqual(1);
    expect(passages.length).toBeLessThanOrEqual(2);
    for (const p of passages) expect(p.source).toMatch(/^<i>— .+ · .+ · \d{4}-\d{2}-\d{2}/);
    expect(passages.some((p) => /<b>cooperation<\/b>/i.test(p.text))).toBe(true);
    expect(buttonsOf(message).map((b) => b.text)).toEqual(expect.arrayContaining(['More ›', 'Share']));
  });

  it('/ask@<bot username> question is answered the same way', async () => {
    const { html, message, asked } = await sendAndWait(t.emu, { chat: GROUP, from: BO, text: '/ask@citebot_test_bot 中吉乌铁路' });
    expect(message.reply_to_message?.message_id).toBe(asked.message_id);
    expect(passagesOf(html).length).toBeLessThanOrEqual(2);
    expect(html).toMatch(/<b>railway<\/b>|<b>铁路<\/b>/i);
  });

  it('/ask as a reply looks up the text of the message replied to', async () => {
    const chatter = t.emu.sendUserMessage({ chat: GROUP, from: BO, text: 'the China-Kyrgyzstan-Uzbekistan railway' });
    expect(chatter.delivered).toBe(false); // privacy mode: plain chatter never reaches the bot
    const { html, message } = await sendAndWait(t.emu, { chat: GROUP, from: CY, text: '/ask', replyTo: chatter.message.message_id });
    expect(passagesOf(html).length).toBeGreaterThanOrEqual(1);
    expect(passagesOf(html).some((p) => /<b>railway<\/b>/i.test(p.text))).toBe(true);
    expect(message.reply_to_message?.message_id).toBe(chatter.message.message_id);
  });

  it('a reply to one of its answers is a new question, answered as a reply to it', async () => {
    const first = await sendAndWait(t.emu, { chat: GROUP, from: BO, text: '/ask trade' });
    const { html, message, asked } = await sendAndWait(t.emu, { chat: GROUP, from: CY, text: 'and the railway?', replyTo: first.message.message_id });
    expect(message.reply_to_message?.message_id).toBe(asked.message_id);
    expect(passagesOf(html).some((p) => /<b>railway<\/b>/i.test(p.text))).toBe(true);
  });

  it('a photo whose caption replies to one of its answers is a new question, answered as a reply to the photo', async () => {
    const first = await sendAndWait(t.emu, { chat: GROUP, from: BO, text: '/ask trade' });
    const { html, message, asked } = await sendAndWait(t.emu, { chat: GROUP, from: CY, photo: true, text: 'and the railway?', replyTo: first.message.message_id });
    expect(asked.photo?.length).toBeGreaterThan(0);
    expect(asked.caption).toBe('and the railway?');
    expect(message.reply_to_message?.message_id).toBe(asked.message_id);
    expect(passagesOf(html).some((p) => /<b>railway<\/b>/i.test(p.text))).toBe(true);
  });

  it('a document whose caption replies to one of its answers is a new question too', async () => {
    const first = await sendAndWait(t.emu, { chat: GROUP, from: BO, text: '/ask trade' });
    const since = t.emu.mark();
    const document = t.emu.sendUserDocument({ chat: GROUP, from: CY, file_name: 'notes.txt', bytes: 'some notes', caption: 'and the railway?', replyTo: first.message.message_id });
    expect(document.delivered).toBe(true);
    const repliesToDocument = (c: EmulatorCall) =>
      c.ok && c.params.chat_id === GROUP.id && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === document.message.message_id;
    const call = await t.emu.waitForCall('sendMessage', repliesToDocument, { since, timeoutMs: WAIT_MS });
    expect(passagesOf(String(call.params.text)).some((p) => /<b>railway<\/b>/i.test(p.text))).toBe(true);
    expect(actionsSince(since).filter((c) => c.method === 'getFile')).toEqual([]); // a question, not an upload
  });

  it('/ask as a reply to a captioned photo looks up the caption, and the answer replies to the photo', async () => {
    const photo = t.emu.sendUserMessage({ chat: GROUP, from: BO, photo: true, text: 'the China-Kyrgyzstan-Uzbekistan railway' });
    expect(photo.delivered).toBe(false); // privacy mode: a photo without a command never reaches the bot
    const { html, message } = await sendAndWait(t.emu, { chat: GROUP, from: CY, text: '/ask', replyTo: photo.message.message_id });
    expect(passagesOf(html).some((p) => /<b>railway<\/b>/i.test(p.text))).toBe(true);
    expect(message.reply_to_message?.message_id).toBe(photo.message.message_id);
  });

  it('/ask alone gets a short usage hint', async () => {
    const { message, asked } = await sendAndWait(t.emu, { chat: GROUP, from: BO, text: '/ask' });
    expect(message.reply_to_message?.message_id).toBe(asked.message_id);
    expect(message.text).toMatch(/\/ask your question/);
    expect(message.text).not.toMatch(/¶/);
  });

  it('stays silent for chatter, commands for other bots and service messages', async () => {
    const silent = await expectSilence(() => {
      t.emu.sendUserMessage({ chat: GROUP, from: BO, text: 'good morning everyone, who read the railway news?' });
      t.emu.sendUserMessage({ chat: GROUP, from: BO, text: '@citebot_test_bot railway' });
      t.emu.sendUserMessage({ chat: GROUP, from: BO, text: '/ask@other_bot railway' });
      t.emu.sendUserMessage({ chat: GROUP, from: BO, text: '/start@other_bot' });
      // a bare /start reaches every bot in the group: it is not addressed to this one
      t.emu.sendUserMessage({ chat: GROUP, from: BO, text: '/start' });
      expect(t.emu.injectUpdate(fixture('supergroup_pinned_message_service.json'), { applyPrivacy: true }).delivered).toBe(true);
      expect(t.emu.injectUpdate(fixture('forum_topic_created.json'), { applyPrivacy: true }).delivered).toBe(true);
      // the bot is added to another group: Telegram posts a new_chat_members service message there
      const added = { id: -1001000000003, type: 'supergroup', title: 'New group' } as const;
      t.emu.setBotStatus(added, 'left', BO);
      t.emu.setBotStatus(added, 'member', BO);
      expect(t.emu.pendingUpdates().at(-1)?.message?.new_chat_members).toBeDefined();
    });
    expect(silent).toEqual([]);
  });

  it('answers /ask inside a forum topic in the same topic', async () => {
    const { call, message, asked } = await sendAndWait(t.emu, { chat: FORUM, from: BO, text: '/ask railway', threadId: 1007 });
    expect(asked.message_thread_id).toBe(1007);
    expect(message.message_thread_id).toBe(1007);
    expect(message.is_topic_message).toBe(true);
    expect(call.params.message_thread_id).toBe(1007);
    const followUp = await sendAndWait(t.emu, { chat: FORUM, from: CY, text: 'what about trade?', replyTo: message.message_id });
    expect(followUp.message.message_thread_id).toBe(1007);
    const usage = await sendAndWait(t.emu, { chat: FORUM, from: CY, text: '/ask', threadId: 9000 });
    expect(usage.message.message_thread_id).toBe(9000);
    expect(usage.message.text).toMatch(/\/ask your question/);
  });
});

describe('in a group with privacy mode off (the bot receives everything)', { timeout: E2E_TIMEOUT_MS }, () => {
  beforeAll(() => {
    t.emu.privacyMode = false;
  });

  it('still answers only /ask and replies to its answers', async () => {
    const delivered: boolean[] = [];
    const silent = await expectSilence(() => {
      for (const text of [
        'good morning everyone, who read the railway news?',
        '@citebot_test_bot railway',
        '/ask@other_bot railway',
        '/start@other_bot',
        '/help@other_bot',
        '/asking railway',
      ]) {
        delivered.push(t.emu.sendUserMessage({ chat: GROUP, from: BO, text }).delivered);
      }
      const someone = t.emu.sendUserMessage({ chat: GROUP, from: BO, text: 'railway' });
      delivered.push(t.emu.sendUserMessage({ chat: GROUP, from: CY, text: 'trade', replyTo: someone.message.message_id }).delivered);
      // captioned media that neither asks nor replies to the bot
      delivered.push(t.emu.sendUserMessage({ chat: GROUP, from: BO, photo: true, text: 'railway' }).delivered);
      delivered.push(t.emu.sendUserMessage({ chat: GROUP, from: CY, photo: true, text: 'trade', replyTo: someone.message.message_id }).delivered);
      delivered.push(t.emu.sendUserMessage({ chat: GROUP, from: BO, photo: true, text: '/ask@other_bot railway' }).delivered);
      delivered.push(t.emu.sendUserDocument({ chat: GROUP, from: CY, file_name: 'railway.txt', bytes: 'railway', caption: 'railway' }).delivered);
    });
    expect(delivered.every(Boolean)).toBe(true);
    expect(silent).toEqual([]);
  });
});

describe('the group file as a whole', { timeout: E2E_TIMEOUT_MS }, () => {
  it('made only valid calls, stops on SIGTERM with exit 0, and never wrote its token', async () => {
    expect(await t.bot.stop()).toBe(0);
    t.expectCleanRun();
  });
});

/** "More" and "Back": the answer is edited in place to another page, also after the bot restarts. */
import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS } from '../support/bot-process.ts';
import { buttonsOf, callbackDataOf, passagesOf, problems, sendAndWait, WAIT_MS, type Sent } from '../support/e2e.ts';
import { DEFAULT_USER } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';

const t = useBot();

const GROUP = { id: -1001000000042, type: 'supergroup', title: 'Readers' } as const;
const BO = { id: 200002, first_name: 'Bo', username: 'bo_test', language_code: 'en' };
const MORE = 'More ›';
const BACK = '‹ Back';

/** Presses a button of `message` and resolves with the edit and the callback answer. */
async function press(message: Message, data: string, from = DEFAULT_USER): Promise<{ queryId: string; edit: Sent | undefined; answers: number }> {
  const since = t.emu.mark();
  const queryId = t.emu.sendCallbackQuery({ chat_id: message.chat.id, message_id: message.message_id, data, from });
  await t.emu.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === queryId, { since, timeoutMs: WAIT_MS });
  const calls = t.emu.calls.slice(since);
  const edit = calls.find((c) => c.method === 'editMessageText' && c.ok && c.params.message_id === message.message_id);
  const answers = calls.filter((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === queryId).length;
  return { queryId, edit: edit && { call: edit, html: String(edit.params.text), message: edit.result as Message }, answers };
}

/** The current state of a message in the emulator. */
function current(message: Message): Message {
  return t.emu.messages(message.chat.id).find((m) => m.message_id === message.message_id)!;
}

async function restartBot(): Promise<void> {
  expect(await t.bot.stop()).toBe(0);
  await t.start();
}

const isNotModified = (call: { method: string; description?: string }) =>
  call.method === 'editMessageText' && /message is not modified/.test(call.description ?? '');

/** A question with many hits, too long (in UTF-8 bytes) to ride in 64 bytes of callback data. */
const LONG_QUESTION = '中国与中亚国家在合作、发展、贸易和互联互通方面有哪些成果和进展？';

describe('paging', { timeout: E2E_TIMEOUT_MS }, () => {
  let first: Sent;
  let long: Sent;

  it('"More" edits the answer to the next page and answers the callback once', async () => {
    first = await sendAndWait(t.emu, { text: 'cooperation' });
    const page1 = passagesOf(first.html);
    expect(page1.map((p) => p.n)).toEqual([1, 2, 3]);

    const { queryId, edit, answers } = await press(first.message, callbackDataOf(first.message, MORE));
    expect(answers).toBe(1);
    expect(t.emu.queryAnswer(queryId)?.params.text).toBeUndefined();
    expect(edit).toBeDefined();
    expect(edit!.call.params.parse_mode).toBe('HTML');
    const page2 = passagesOf(edit!.html);
    expect(page2[0]!.n).toBe(4);
    expect(page2.length).toBeGreaterThanOrEqual(1);
    expect(page2.map((p) => p.text)).not.toContain(page1[0]!.text);
    expect(buttonsOf(edit!.message).map((b) => b.text)).toEqual(expect.arrayContaining([BACK, 'Share']));
    expect(current(first.message).text).toBe(edit!.message.text);
  });

  it('"Back" returns to the first page', async () => {
    const { edit, answers } = await press(first.message, callbackDataOf(current(first.message), BACK));
    expect(answers).toBe(1);
    expect(passagesOf(edit!.html).map((p) => p.n)).toEqual([1, 2, 3]);
    expect(buttonsOf(edit!.message).map((b) => b.text)).not.toContain(BACK);
  });

  it('the last page has no "More"', async () => {
    let message = current(first.message);
    for (let i = 0; i < 10 && buttonsOf(message).some((b) => b.text === MORE); i++) {
      const { answers } = await press(message, callbackDataOf(message, MORE));
      expect(answers).toBe(1);
      message = current(first.message);
    }
    expect(buttonsOf(message).map((b) => b.text)).toEqual([BACK, 'Share']);
  });

  it('pages a question too long for the callback data by re-reading the question it replies to', async () => {
    expect(Buffer.byteLength(LONG_QUESTION)).toBeGreaterThan(64);
    long = await sendAndWait(t.emu, { text: LONG_QUESTION });
    const data = callbackDataOf(long.message, MORE);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    const { edit, answers } = await press(long.message, data);
    expect(answers).toBe(1);
    expect(passagesOf(edit!.html)[0]!.n).toBe(4);
  });

  it('a double tap on "More" edits once and answers both taps without an apology', async () => {
    const sent = await sendAndWait(t.emu, { text: 'cooperation development' });
    const data = callbackDataOf(sent.message, MORE);
    const since = t.emu.mark();
    const tap1 = t.emu.sendCallbackQuery({ chat_id: sent.message.chat.id, message_id: sent.message.message_id, data });
    const tap2 = t.emu.sendCallbackQuery({ chat_id: sent.message.chat.id, message_id: sent.message.message_id, data });
    await t.emu.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === tap2, { since, timeoutMs: WAIT_MS });
    expect(t.emu.queryAnswer(tap1)).toBeDefined();
    expect(String(t.emu.queryAnswer(tap2)?.params.text ?? '')).not.toMatch(/wrong/i);
    expect(t.emu.calls.slice(since).filter((c) => c.method === 'editMessageText' && c.ok)).toHaveLength(1);
    expect(t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage')).toEqual([]);
    // Telegram refuses the second, identical edit; the bot takes that as done
    expect(problems(t.emu).filter((c) => !isNotModified(c))).toEqual([]);
  });

  it('answers a button it does not know (stale or foreign data) instead of leaving it spinning', async () => {
    const sent = await sendAndWait(t.emu, { text: 'railway' });
    const since = t.emu.mark();
    const queryId = t.emu.sendCallbackQuery({ chat_id: sent.message.chat.id, message_id: sent.message.message_id, data: 'v1:old-format', unchecked: true });
    await t.emu.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === queryId, { since, timeoutMs: WAIT_MS });
    expect(t.emu.calls.slice(since).filter((c) => c.method === 'editMessageText')).toEqual([]);
  });

  it('buttons of an answer sent before a restart keep working after it', async () => {
    const before = current(first.message);
    await restartBot();
    const { edit, answers } = await press(before, callbackDataOf(before, BACK));
    expect(answers).toBe(1);
    expect(edit).toBeDefined();
    expect(passagesOf(edit!.html)[0]!.n).toBeLessThan(Number(/^(\d+)\./.exec(before.text ?? '')?.[1]));

    const longBefore = current(long.message);
    const back = await press(longBefore, callbackDataOf(longBefore, BACK));
    expect(back.answers).toBe(1);
    expect(passagesOf(back.edit!.html).map((p) => p.n)).toEqual([1, 2, 3]);
  });

  it('pages a compact group answer two passages at a time', async () => {
    const sent = await sendAndWait(t.emu, { chat: GROUP, from: BO, text: '/ask cooperation' });
    expect(passagesOf(sent.html).map((p) => p.n)).toEqual([1, 2]);
    const { edit, answers } = await press(sent.message, callbackDataOf(sent.message, MORE), BO);
    expect(answers).toBe(1);
    expect(passagesOf(edit!.html).map((p) => p.n)).toEqual([3, 4]);
  });

  it('pages the answer to a "/ask" reply to a long message, also after a restart', async () => {
    const long = t.emu.sendUserMessage({
      chat: GROUP,
      from: BO,
      text: LONG_QUESTION,
    });
    const sent = await sendAndWait(t.emu, { chat: GROUP, text: '/ask', replyTo: long.message.message_id });
    expect(passagesOf(sent.html)).toHaveLength(2);
    const data = callbackDataOf(sent.message, MORE);
    const { edit, answers, queryId } = await press(sent.message, data);
    expect(answers).toBe(1);
    expect(t.emu.queryAnswer(queryId)?.params.text).toBeUndefined();
    expect(passagesOf(edit!.html).map((p) => p.n)).toEqual([3, 4]);

    await restartBot();
    const again = await press(current(sent.message), callbackDataOf(current(sent.message), BACK));
    expect(again.answers).toBe(1);
    expect(passagesOf(again.edit!.html).map((p) => p.n)).toEqual([1, 2]);
  });

  it('made only valid calls, stops on SIGTERM with exit 0, and never wrote its token', async () => {
    expect(await t.bot.stop()).toBe(0);
    // Telegram's only refusals: "message is not modified" for the second of a double tap.
    t.expectCleanRun({ problems: problems(t.emu).filter(isNotModified) });
  });
});

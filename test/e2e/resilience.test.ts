/** Failures from Telegram, odd real-world updates and shutdown: the bot retries, apologises, keeps running. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, logLines, waitForLog } from '../support/bot-process.ts';
import { passagesOf, problems, sendAndWait, WAIT_MS } from '../support/e2e.ts';
import { DEFAULT_USER, type Message } from '../support/emulator.ts';
import { TELEGRAM_UPDATES as UPDATES } from '../support/fixtures.ts';
import { useBot } from '../support/use-bot.ts';

const t = useBot();

const FIXTURES = readdirSync(UPDATES).filter((f) => f.endsWith('.json')).sort();

/** Asks a question the corpus answers and checks that the answer arrived intact. */
async function expectAnswered(text = 'railway'): Promise<void> {
  const { html, message, asked } = await sendAndWait(t.emu, { text });
  expect(message.reply_to_message?.message_id).toBe(asked.message_id);
  expect(passagesOf(html).length).toBeGreaterThan(0);
}

/** The sendMessage calls since `since` and how each ended. */
const sendOutcomes = (since: number) =>
  t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage').map((c) => (c.ok ? 'ok' : `${c.error_code}${c.injected ? ' injected' : ''}`));

describe('failures from Telegram', { timeout: E2E_TIMEOUT_MS }, () => {
  it('waits out a 429 (retry_after 1) and then sends the answer', async () => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { error_code: 429, retry_after: 1 });
    await expectAnswered();
    expect(sendOutcomes(since)).toEqual(['429 injected', 'ok']);
    const [failed, sent] = t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage');
    expect(sent!.params).toEqual(failed!.params);
  });

  it.each([500, 502])('retries a %i once and then sends the answer', async (code) => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { error_code: code });
    await expectAnswered('trade');
    expect(sendOutcomes(since)).toEqual([`${code} injected`, 'ok']);
  });

  it('retries after a network failure (connection dropped without an answer)', async () => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { network: true });
    await expectAnswered('中吉乌铁路');
    expect(sendOutcomes(since).at(-1)).toBe('ok');
  });

  it('keeps polling after getUpdates fails with a 502', async () => {
    t.emu.failNext('getUpdates', { error_code: 502 });
    await expectAnswered('cooperation');
  });

  it('logs a non-retryable 400, apologises, and answers the next question normally', async () => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { error_code: 400, description: 'Bad Request: CHAT_WRITE_FORBIDDEN' });
    const asked = t.emu.sendUserMessage({ text: 'railway' });
    const apology = await t.emu.waitForMessage(DEFAULT_USER.id, undefined, { since, timeoutMs: WAIT_MS });
    expect(apology.text).toMatch(/^Sorry, something went wrong/);
    expect(apology.reply_to_message?.message_id).toBe(asked.message.message_id);
    expect(sendOutcomes(since)).toEqual(['400 injected', 'ok']);
    await expectAnswered('trade');
    const failure = await waitForLog(t.bot, (l) => l.msg === 'update failed' && l.error_code === 400);
    expect(failure).toMatchObject({ level: 50, method: 'sendMessage', update_id: asked.update_id });
  });

  it('survives a user who blocked it: logs it once, tries no apology, serves the next one', async () => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const asked = t.emu.sendUserMessage({ text: 'railway' });
    await expectAnswered('trade');
    expect(sendOutcomes(since)).toEqual(['403 injected', 'ok']);
    // Log lines are written asynchronously: wait for it rather than read what has arrived so far.
    await waitForLog(t.bot, (l) => l.update_id === asked.update_id && l.msg === 'chat unreachable');
    const lines = logLines(t.bot.stderr).filter((l) => l.update_id === asked.update_id);
    expect(lines.filter((l) => l.msg === 'chat unreachable')).toHaveLength(1);
    expect(lines.map((l) => l.msg)).not.toContain('update failed');
  });
});

describe('real captured updates', { timeout: E2E_TIMEOUT_MS }, () => {
  it.each(FIXTURES)('%s does not crash the bot and gets only valid calls', async (file) => {
    const update = JSON.parse(readFileSync(new URL(file, UPDATES), 'utf8')) as Record<string, unknown>;
    const since = t.emu.mark();
    const delivery = t.emu.injectUpdate(update);
    expect(delivery.problems).toEqual([]);
    // Handled once confirmed: the bot asks for the next updates only when a batch is done (the
    // question below, in another chat, may be answered first: chats are served at once).
    if (delivery.delivered) await t.emu.waitForConfirmation(delivery.update_id!);
    await expectAnswered();
    expect(t.bot.alive).toBe(true);
    expect(problems(t.emu)).toEqual([]);

    // a private text (or caption) is a question: it gets exactly one reply; nothing else is answered with a message
    const payload = (update.message ?? null) as Message | null;
    const isPrivateQuestion = delivery.delivered && payload?.chat.type === 'private' && !!(payload.text ?? payload.caption);
    const replies = t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.params.chat_id !== DEFAULT_USER.id);
    expect(replies).toHaveLength(isPrivateQuestion ? 1 : 0);
    if (update.callback_query) {
      const id = (update.callback_query as { id: string }).id;
      expect(t.emu.calls.slice(since).filter((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === id)).toHaveLength(1);
    }
  });
});

describe('shutdown', { timeout: E2E_TIMEOUT_MS }, () => {
  it('on SIGTERM finishes the update in hand, exits 0, and confirms every update it handled', async () => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { error_code: 429, retry_after: 2 });
    const asked = t.emu.sendUserMessage({ text: 'railway' });
    await t.emu.waitForCall('sendMessage', (c) => c.injected, { since, timeoutMs: WAIT_MS });
    const exited = t.bot.stop();
    const answer = await t.emu.waitForMessage(DEFAULT_USER.id, undefined, { since, timeoutMs: WAIT_MS });
    expect(answer.reply_to_message?.message_id).toBe(asked.message.message_id);
    expect(await exited).toBe(0);
    expect(t.emu.confirmedUpdateId).toBe(t.emu.lastUpdateId);
    expect(t.emu.confirmedUpdateId).toBeGreaterThanOrEqual(asked.update_id!);
    expect(t.emu.pendingUpdates()).toEqual([]);
    expect(logLines(t.bot.stderr).map((l) => l.msg)).toEqual(expect.arrayContaining(['stopping', 'bot stopped']));
  });

  it('logged as an error only the update whose answer Telegram refused with 400, and never wrote its token', () => {
    t.expectCleanRun({ errors: [expect.objectContaining({ msg: 'update failed', method: 'sendMessage', error_code: 400 })] });
  });
});

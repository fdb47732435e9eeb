/**
 * Telegram faults beyond sendMessage: a flood limit on every method, a call Telegram never answers,
 * connections reset on inline answers, edits and button answers. The bot retries, keeps serving the
 * other chats, logs each incident once and never restarts.
 */
import { describe, expect, it } from 'vitest';
import { logLines, waitForLog } from '../support/bot-process.ts';
import { callbackDataOf, sendAndWaitForReply } from '../support/e2e.ts';
import type { EmulatorCall, UserInput } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';

const USERS: UserInput[] = [500001, 500002, 500003].map((id, i) => ({ id, first_name: `User${i}`, language_code: 'en' }));
const [ASKER, OTHER] = USERS as [UserInput, UserInput];
const MORE = 'More ›';
/** A call held until the client gives up takes its 10 s time limit plus a short back-off (0.25 s) before the retry. */
const FAULT_TIMEOUT_MS = 40_000;

// The held call is retried after the bot's 10 s time limit and a short back-off; the emulator's default
// 15 s window for answering a query would make the outcome depend on the machine's speed.
const t = useBot({ emulator: { queryTimeoutMs: 60_000 } });

const repliesTo = (chatId: number, messageId: number) => (c: EmulatorCall) =>
  c.ok && c.params.chat_id === chatId && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === messageId;

/** Another user asks while a fault is going on; resolves once the bot has answered them. */
async function expectOtherChatServed(since: number, text = 'trade'): Promise<void> {
  const asked = t.emu.sendUserMessage({ from: OTHER, text });
  await t.emu.waitForCall('sendMessage', repliesTo(OTHER.id, asked.message.message_id), { since, timeoutMs: FAULT_TIMEOUT_MS });
}

/** Log records written since `from` (a length of bot.stderr). */
const logsSince = (from: number) => logLines(t.bot.stderr.slice(from));

describe('Telegram faults beyond sendMessage', { timeout: FAULT_TIMEOUT_MS }, () => {
  it('a flood limit on every method: all chats are answered afterwards, the incident is logged once', async () => {
    const since = t.emu.mark();
    const logFrom = t.bot.stderr.length;
    t.emu.failNext('*', { error_code: 429, retry_after: 1, forMs: 2_000 });
    const asked = USERS.map((from, i) => t.emu.sendUserMessage({ from, text: ['railway', 'trade', 'natural gas pipeline'][i]! }));
    for (const { message } of asked) {
      await t.emu.waitForCall('sendMessage', repliesTo(message.chat.id, message.message_id), { since, timeoutMs: FAULT_TIMEOUT_MS });
    }
    const refused = t.emu.calls.slice(since).filter((c) => c.injected && c.error_code === 429);
    expect(refused.length).toBeGreaterThan(1);
    await waitForLog(t.bot, (l) => l.msg === 'telegram calls succeed again');
    const logs = logsSince(logFrom);
    expect(logs.filter((l) => l.msg === 'telegram calls failing; retrying')).toHaveLength(1);
    expect(logs.find((l) => l.msg === 'telegram calls succeed again')).toMatchObject({ failures: refused.length });
    expect(logs.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
    expect(t.bot.alive).toBe(true);
  });

  it('abandons an inline answer Telegram never answers, retries it, and serves the other chats', async () => {
    const since = t.emu.mark();
    t.emu.failNext('answerInlineQuery', { hang: true });
    const queryId = t.emu.sendInlineQuery({ from: ASKER, query: 'railway' });
    while (!t.emu.heldCalls.includes('answerInlineQuery')) await new Promise((resolve) => setTimeout(resolve, 10));
    await expectOtherChatServed(since);
    const answered = await t.emu.waitForCall('answerInlineQuery', (c) => c.ok && c.params.inline_query_id === queryId, { since, timeoutMs: FAULT_TIMEOUT_MS });
    expect(t.emu.calls.slice(since).filter((c) => c.method === 'answerInlineQuery').map((c) => [c.ok, c.injected, c.aborted])).toEqual([
      [false, true, true],
      [true, false, false],
    ]);
    expect((answered.params.results as unknown[]).length).toBeGreaterThan(0);
  });

  it.each(['answerInlineQuery', 'editMessageText', 'answerCallbackQuery'])(
    'retries %s after a connection reset, and serves the other chats',
    async (method) => {
      const setup = method === 'answerInlineQuery' ? undefined : await sendAndWaitForReply(t.emu, { from: ASKER, text: 'cooperation' });
      const since = t.emu.mark();
      t.emu.failNext(method, { network: true });
      const queryId = setup
        ? t.emu.sendCallbackQuery({ from: ASKER, chat_id: ASKER.id, message_id: setup.message.message_id, data: callbackDataOf(setup.message, MORE) })
        : t.emu.sendInlineQuery({ from: ASKER, query: 'railway' });
      await expectOtherChatServed(since, 'railway');
      const idOf = (c: EmulatorCall) => c.params.callback_query_id ?? c.params.inline_query_id;
      await t.emu.waitForCall(setup ? 'answerCallbackQuery' : 'answerInlineQuery', (c) => c.ok && idOf(c) === queryId, { since, timeoutMs: FAULT_TIMEOUT_MS });
      const attempts = t.emu.calls.slice(since).filter((c) => c.method === method);
      expect(attempts.map((c) => (c.ok ? 'ok' : c.injected ? 'reset' : c.description))).toEqual(['reset', 'ok']);
      if (setup) {
        const edited = t.emu.messages(ASKER.id).find((m) => m.message_id === setup.message.message_id);
        expect(edited?.text).toMatch(/^4\. /);
      }
    },
  );

  it('logged no errors, made only valid calls, and never wrote its token', () => {
    expect(logLines(t.bot.stderr).filter((l) => l.msg === 'bot started')).toHaveLength(1);
    t.expectCleanRun();
  });
});

/**
 * Long polling under faults: one chat waiting out a flood limit holds only that chat (and a crash
 * meanwhile loses nothing and answers nothing twice), getUpdates recovers within seconds of an
 * outage, a malformed update is skipped without a tight loop, and update ids that start again
 * (a new token) are answered rather than taken for re-deliveries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logLines, stateDirFor, TEST_TOKEN, waitForLog } from '../support/bot-process.ts';
import { ApiError, type EmulatorCall, type UserInput } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';
import { RETRY_MAX_MS } from '../../src/telegram/backoff.ts';

const FLOODED: UserInput = { id: 610001, first_name: 'Flooded', language_code: 'en' };
const OTHERS: UserInput[] = [610002, 610003, 610004, 610005, 610006].map((id, i) => ({ id, first_name: `Other${i}`, language_code: 'en' }));
/** Seconds the flooded chat's answer is held back by Telegram (well under autoRetry's 30 s ceiling). */
const RETRY_AFTER_SECONDS = 8;
/** Bound on hangs only: a flood wait, a restart, an outage. */
const TEST_TIMEOUT_MS = 60_000;
const WAIT_MS = 30_000;

const t = useBot();

const repliesTo = (chatId: number, messageId: number) => (c: EmulatorCall) =>
  c.ok && c.params.chat_id === chatId && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === messageId;
/**
 * Waits until the bot's journal lists these updates as handled: the emulator sees an answer before
 * the bot has read Telegram's reply to it, and only then does the bot write its journal line.
 */
async function waitForJournal(updateIds: number[]): Promise<void> {
  const file = join(stateDirFor(t.emu), `handled-updates-${TEST_TOKEN.split(':')[0]}.txt`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // not written yet
    }
    const journaled = new Set(text.split('\n').map((line) => Number(line.split(' ')[0])));
    if (updateIds.every((id) => journaled.has(id))) return;
    if (Date.now() > deadline) throw new Error(`updates ${updateIds.join(', ')} not in the journal within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const answersTo = (chatId: number, since: number) => t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.ok && c.params.chat_id === chatId);

describe('long polling under faults', { timeout: TEST_TIMEOUT_MS }, () => {
  it("one chat waiting out a 429 holds only that chat: the others' later questions are answered first", async () => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { error_code: 429, retry_after: RETRY_AFTER_SECONDS, chat_id: FLOODED.id });
    const flooded = t.emu.sendUserMessage({ from: FLOODED, text: 'railway' });
    await t.emu.waitForCall('sendMessage', (c) => c.injected && c.params.chat_id === FLOODED.id, { since, timeoutMs: WAIT_MS });
    const asked = OTHERS.map((from, i) => t.emu.sendUserMessage({ from, text: ['trade', 'railway', 'natural gas pipeline', 'cooperation', '中吉乌铁路'][i]! }));
    for (const { message } of asked) {
      await t.emu.waitForCall('sendMessage', repliesTo(message.chat.id, message.message_id), { since, timeoutMs: WAIT_MS });
    }
    // every other chat was answered while the flooded one still waited for its retry_after
    expect(answersTo(FLOODED.id, since)).toEqual([]);
    // and Telegram was told nothing past the update in hand
    expect(t.emu.confirmedUpdateId).toBeLessThan(flooded.update_id!);
    const answer = await t.emu.waitForCall('sendMessage', repliesTo(FLOODED.id, flooded.message.message_id), { since, timeoutMs: WAIT_MS });
    const order = t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.ok).map((c) => c.params.chat_id);
    expect(order.at(-1)).toBe(FLOODED.id);
    expect(order).toHaveLength(OTHERS.length + 1);
    const waitedMs = answer.at - t.emu.calls[since]!.at;
    console.log(`[polling-faults] flooded chat answered after ${waitedMs} ms (retry_after ${RETRY_AFTER_SECONDS} s); ${OTHERS.length} other chats before it`);
    await t.emu.waitForConfirmation(flooded.update_id!, { timeoutMs: WAIT_MS });
  });

  it('a crash while a flooded chat waits loses nothing and answers nothing twice', async () => {
    const since = t.emu.mark();
    // long enough that the process is surely killed while the flooded answer waits
    t.emu.failNext('sendMessage', { error_code: 429, retry_after: 25, chat_id: FLOODED.id });
    const flooded = t.emu.sendUserMessage({ from: FLOODED, text: 'trade' });
    await t.emu.waitForCall('sendMessage', (c) => c.injected && c.params.chat_id === FLOODED.id, { since, timeoutMs: WAIT_MS });
    const asked = OTHERS.map((from) => t.emu.sendUserMessage({ from, text: 'railway' }));
    for (const { message } of asked) {
      await t.emu.waitForCall('sendMessage', repliesTo(message.chat.id, message.message_id), { since, timeoutMs: WAIT_MS });
    }
    await waitForJournal(asked.map((a) => a.update_id!));
    t.bot.child.kill('SIGKILL');
    await t.bot.exited;
    // the flooded update and everything after it are unconfirmed: Telegram delivers them again
    expect(t.emu.confirmedUpdateId).toBeLessThan(flooded.update_id!);
    expect(t.emu.pendingUpdates().map((u) => u.update_id)).toEqual([flooded.update_id, ...asked.map((a) => a.update_id)]);

    await t.start();
    await t.emu.waitForCall('sendMessage', repliesTo(FLOODED.id, flooded.message.message_id), { since, timeoutMs: WAIT_MS });
    await t.emu.waitForConfirmation(asked.at(-1)!.update_id!, { timeoutMs: WAIT_MS });
    for (const user of [FLOODED, ...OTHERS]) expect(answersTo(user.id, since)).toHaveLength(1);
    await waitForLog(t.bot, (l) => l.msg === 'update already handled; skipped');
    const skipped = logLines(t.bot.stderr).filter((l) => l.msg === 'update already handled; skipped').map((l) => l.update_id);
    expect(skipped.sort()).toEqual(asked.map((a) => a.update_id).sort());
  });

  it('after an outage of getUpdates, a question asked during it is answered within one short retry', async () => {
    const since = t.emu.mark();
    const logFrom = t.bot.stderr.length;
    const OUTAGE_MS = 10_000;
    t.emu.failNext('getUpdates', { network: true, forMs: OUTAGE_MS });
    // the long poll in progress is cut off as a proxy would when Telegram goes away
    t.emu.queue.endPoll(new ApiError(502, 'Bad Gateway'));
    await t.emu.waitForCall('getUpdates', (c) => c.injected, { since, timeoutMs: WAIT_MS });
    const asked = t.emu.sendUserMessage({ from: OTHERS[0], text: 'railway' });
    await t.emu.waitForCall('sendMessage', repliesTo(asked.message.chat.id, asked.message.message_id), { since, timeoutMs: TEST_TIMEOUT_MS });
    const attempts = t.emu.calls.slice(since).filter((c) => c.method === 'getUpdates');
    const failed = attempts.filter((c) => c.injected);
    // autoRetry's doubling back-off (3, 6, 12 s…) made 3 attempts in a 10 s outage and the next one 11 s after it
    expect(failed.length).toBeGreaterThanOrEqual(5);
    const waits = logLines(t.bot.stderr.slice(logFrom)).filter((l) => l.msg === 'getUpdates failed; asking again').map((l) => Number(l.retryInMs));
    expect(waits.length).toBeGreaterThanOrEqual(failed.length - 1);
    expect(Math.max(...waits)).toBeLessThanOrEqual(RETRY_MAX_MS);
    const firstOk = attempts.find((c) => c.ok)!;
    const answered = t.emu.calls.slice(since).find(repliesTo(asked.message.chat.id, asked.message.message_id))!;
    console.log(
      `[polling-faults] outage ${OUTAGE_MS} ms: ${failed.length} failed getUpdates, first success ${firstOk.at - failed[0]!.at - OUTAGE_MS} ms after it ended, answer ${answered.at - failed[0]!.at - OUTAGE_MS} ms after`,
    );
  });

  it('an answer in hand when Telegram goes away is sent within one short retry of its return', async () => {
    const since = t.emu.mark();
    const OUTAGE_MS = 10_000;
    t.emu.failNext('sendMessage', { network: true, forMs: OUTAGE_MS });
    const asked = t.emu.sendUserMessage({ from: OTHERS[3], text: 'trade' });
    await t.emu.waitForCall('sendMessage', repliesTo(asked.message.chat.id, asked.message.message_id), { since, timeoutMs: TEST_TIMEOUT_MS });
    const failed = t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.injected);
    // autoRetry's back-off for a dropped connection (3, 6, 12 s…) made 3 attempts in 10 s, the next 11 s after it
    expect(failed.length).toBeGreaterThanOrEqual(5);
    const answered = t.emu.calls.slice(since).find(repliesTo(asked.message.chat.id, asked.message.message_id))!;
    console.log(`[polling-faults] sendMessage outage ${OUTAGE_MS} ms: ${failed.length} failed attempts, answer ${answered.at - failed[0]!.at - OUTAGE_MS} ms after it ended`);
  });

  it('skips an update without update_id with a warning, without asking again in a tight loop', async () => {
    await t.emu.waitForConfirmation(t.emu.lastUpdateId, { timeoutMs: WAIT_MS });
    const since = t.emu.mark();
    const logFrom = t.bot.stderr.length;
    const broken = t.emu.injectUpdate(
      { message: { message_id: 7, date: 1_700_000_000, chat: { id: OTHERS[1]!.id, type: 'private' }, from: { ...OTHERS[1]!, is_bot: false }, text: 'railway' } },
      { withoutUpdateId: true },
    );
    expect(broken.delivered).toBe(true);
    await waitForLog(t.bot, (l) => l.msg === 'getUpdates returned updates without an update_id; skipped', WAIT_MS);
    // a window of a couple of seconds after it: the poller must be back to long polling
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const asked = t.emu.sendUserMessage({ from: OTHERS[2], text: 'trade' });
    await t.emu.waitForCall('sendMessage', repliesTo(asked.message.chat.id, asked.message.message_id), { since, timeoutMs: WAIT_MS });
    await t.emu.waitForConfirmation(asked.update_id!, { timeoutMs: WAIT_MS });
    const polls = t.emu.calls.slice(since).filter((c) => c.method === 'getUpdates');
    // before: offset NaN, the same update again and again (3,000 calls a second against Telegram)
    expect(polls.length).toBeLessThanOrEqual(10);
    expect(t.emu.pendingUpdates()).toEqual([]);
    // nothing was answered for the malformed update
    expect(answersTo(OTHERS[1]!.id, since)).toEqual([]);
    const warnings = logLines(t.bot.stderr.slice(logFrom)).filter((l) => l.msg === 'getUpdates returned updates without an update_id; skipped');
    expect(warnings).toHaveLength(1);
    console.log(`[polling-faults] malformed update: ${polls.length} getUpdates calls in the ${polls.at(-1)!.at - polls[0]!.at} ms after it`);
  });

  it('answers questions whose update ids start again from 1 (a new token), rather than taking them for re-deliveries', async () => {
    // the journal holds ids 1… (from this file's earlier tests, or these when run alone)
    const before = t.emu.mark();
    for (const { message } of OTHERS.slice(0, 3).map((from) => t.emu.sendUserMessage({ from, text: 'trade' }))) {
      await t.emu.waitForCall('sendMessage', repliesTo(message.chat.id, message.message_id), { since: before, timeoutMs: WAIT_MS });
    }
    await waitForJournal([1, 2, 3]);
    expect(await t.bot.stop()).toBe(0);
    t.emu.restartUpdateIds(1);
    const since = t.emu.mark();
    const asked = OTHERS.slice(0, 3).map((from) => t.emu.sendUserMessage({ from, text: 'railway' }));
    expect(asked.map((a) => a.update_id)).toEqual([1, 2, 3]);
    await t.start();
    for (const { message } of asked) {
      await t.emu.waitForCall('sendMessage', repliesTo(message.chat.id, message.message_id), { since, timeoutMs: WAIT_MS });
    }
    await waitForLog(t.bot, (l) => typeof l.msg === 'string' && l.msg.startsWith('update ids started again'));
  });

  it('logged no errors and made only valid calls', () => {
    // the long poll cut off by the outage
    t.expectCleanRun({ problems: [expect.objectContaining({ method: 'getUpdates', description: 'Bad Gateway' })] });
  });
});

/**
 * Delivery across a crash: grammY's built-in long polling confirms an update (by asking for the
 * next offset) only after handling it, so an update in hand when the process is SIGKILLed is
 * delivered again to the next process and answered: nothing lost. An update answered but not yet
 * confirmed is delivered again too, and the journal of handled updates keeps it from being
 * answered twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, logLines, printBotOutputOnFailure, startBot, startTestEmulator, waitForLog, type BotProcess } from '../support/bot-process.ts';
import { DEFAULT_USER, type Emulator } from '../support/emulator.ts';

let emu: Emulator;
let bot: BotProcess;

beforeAll(async () => {
  emu = await startTestEmulator();
  bot = await startBot(emu);
}, E2E_TIMEOUT_MS);

printBotOutputOnFailure(() => bot);

afterAll(async () => {
  bot?.kill();
  await emu?.close();
});

describe('delivery across a crash', { timeout: 40_000 }, () => {
  it('answers an update that was in hand when the process was killed, after the restart', async () => {
    const since = emu.mark();
    // The answer's sendMessage hangs, so the process is killed mid-update.
    emu.failNext('sendMessage', { network: true, delayMs: 4_000 });
    const { update_id } = emu.sendUserMessage({ text: 'natural gas pipeline' });
    await emu.waitForCall('getUpdates', (c) => c.ok && JSON.stringify(c.result).includes(`"update_id":${update_id}`), { since, timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    bot.child.kill('SIGKILL');
    await bot.exited;
    expect(emu.confirmedUpdateId).toBeLessThan(update_id!);

    bot = await startBot(emu);
    const answer = await emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === DEFAULT_USER.id, { since, timeoutMs: 20_000 });
    expect(String(answer.params.text)).toMatch(/pipeline/i);
    expect(emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.ok)).toHaveLength(1);
  });

  it('does not answer twice an update it answered but was killed before confirming', async () => {
    const since = emu.mark();
    // Once the bot long-polls, the getUpdates call after it, which would confirm the update, never gets an answer.
    while (!emu.queue.hasWaitingPoll) await new Promise((resolve) => setTimeout(resolve, 10));
    emu.failNext('getUpdates', { hang: true });
    const { update_id, message } = emu.sendUserMessage({ text: 'railway' });
    await emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === DEFAULT_USER.id, { since, timeoutMs: 10_000 });
    while (!emu.heldCalls.includes('getUpdates')) await new Promise((resolve) => setTimeout(resolve, 10));
    bot.child.kill('SIGKILL');
    await bot.exited;
    expect(emu.confirmedUpdateId).toBeLessThan(update_id!);

    const restart = emu.mark();
    bot = await startBot(emu);
    await emu.waitForConfirmation(update_id!, { timeoutMs: 10_000 });
    const redelivered = emu.calls.slice(restart).some((c) => c.method === 'getUpdates' && c.ok && JSON.stringify(c.result).includes(`"update_id":${update_id}`));
    expect(redelivered).toBe(true);
    const replies = emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.ok && c.params.chat_id === DEFAULT_USER.id);
    expect(replies.map((c) => (c.params.reply_parameters as { message_id: number }).message_id)).toEqual([message.message_id]);
    await waitForLog(bot, (l) => l.msg === 'update already handled; skipped');
    expect(logLines(bot.stderr).filter((l) => l.msg === 'update already handled; skipped').map((l) => l.update_id)).toEqual([update_id]);
  });

  it('confirms handled updates before exiting on SIGTERM, so they are not delivered again', async () => {
    const since = emu.mark();
    const { update_id } = emu.sendUserMessage({ text: 'railway' });
    await emu.waitForCall('sendMessage', (c) => c.ok, { since, timeoutMs: 10_000 });
    expect(await bot.stop()).toBe(0);
    expect(emu.confirmedUpdateId).toBeGreaterThanOrEqual(update_id!);
  });
});

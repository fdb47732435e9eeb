/**
 * Delivery across a crash: grammY's built-in long polling confirms an update (by asking for the
 * next offset) only after handling it, so an update in hand when the process is SIGKILLed is
 * delivered again to the next process and answered: nothing lost. An update answered but not yet
 * confirmed is delivered again too, and the journal of handled updates keeps it from being
 * answered twice.
 */
import { describe, expect, it } from 'vitest';
import { logLines, waitForLog } from '../support/bot-process.ts';
import { DEFAULT_USER } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';

const t = useBot();

describe('delivery across a crash', { timeout: 40_000 }, () => {
  it('answers an update that was in hand when the process was killed, after the restart', async () => {
    const since = t.emu.mark();
    // The answer's sendMessage hangs, so the process is killed mid-update.
    t.emu.failNext('sendMessage', { network: true, delayMs: 4_000 });
    const { update_id } = t.emu.sendUserMessage({ text: 'natural gas pipeline' });
    await t.emu.waitForCall('getUpdates', (c) => c.ok && JSON.stringify(c.result).includes(`"update_id":${update_id}`), { since, timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    t.bot.child.kill('SIGKILL');
    await t.bot.exited;
    expect(t.emu.confirmedUpdateId).toBeLessThan(update_id!);

    await t.start();
    const answer = await t.emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === DEFAULT_USER.id, { since, timeoutMs: 20_000 });
    expect(String(answer.params.text)).toMatch(/pipeline/i);
    expect(t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.ok)).toHaveLength(1);
  });

  it('does not answer twice an update it answered but was killed before confirming', async () => {
    const since = t.emu.mark();
    // Once the bot long-polls, the getUpdates call after it, which would confirm the update, never gets an answer.
    while (!t.emu.queue.hasWaitingPoll) await new Promise((resolve) => setTimeout(resolve, 10));
    t.emu.failNext('getUpdates', { hang: true });
    const { update_id, message } = t.emu.sendUserMessage({ text: 'railway' });
    await t.emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === DEFAULT_USER.id, { since, timeoutMs: 10_000 });
    while (!t.emu.heldCalls.includes('getUpdates')) await new Promise((resolve) => setTimeout(resolve, 10));
    t.bot.child.kill('SIGKILL');
    await t.bot.exited;
    expect(t.emu.confirmedUpdateId).toBeLessThan(update_id!);

    const restart = t.emu.mark();
    await t.start();
    await t.emu.waitForConfirmation(update_id!, { timeoutMs: 10_000 });
    const redelivered = t.emu.calls.slice(restart).some((c) => c.method === 'getUpdates' && c.ok && JSON.stringify(c.result).includes(`"update_id":${update_id}`));
    expect(redelivered).toBe(true);
    const replies = t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.ok && c.params.chat_id === DEFAULT_USER.id);
    expect(replies.map((c) => (c.params.reply_parameters as { message_id: number }).message_id)).toEqual([message.message_id]);
    await waitForLog(t.bot, (l) => l.msg === 'update already handled; skipped');
    expect(logLines(t.bot.stderr).filter((l) => l.msg === 'update already handled; skipped').map((l) => l.update_id)).toEqual([update_id]);
  });

  it('confirms handled updates before exiting on SIGTERM, so they are not delivered again', async () => {
    const since = t.emu.mark();
    const { update_id } = t.emu.sendUserMessage({ text: 'railway' });
    await t.emu.waitForCall('sendMessage', (c) => c.ok, { since, timeoutMs: 10_000 });
    expect(await t.bot.stop()).toBe(0);
    expect(t.emu.confirmedUpdateId).toBeGreaterThanOrEqual(update_id!);
    t.expectCleanRun();
  });
});

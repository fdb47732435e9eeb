/**
 * Delivery across a crash: grammY's built-in long polling confirms an update (by asking for the
 * next offset) only after handling it, so an update in hand when the process is SIGKILLed is
 * delivered again to the next process and answered: at-least-once, nothing lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, printBotOutputOnFailure, startBot, startTestEmulator, type BotProcess } from '../support/bot-process.ts';
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

  it('confirms handled updates before exiting on SIGTERM, so they are not delivered again', async () => {
    const since = emu.mark();
    const { update_id } = emu.sendUserMessage({ text: 'railway' });
    await emu.waitForCall('sendMessage', (c) => c.ok, { since, timeoutMs: 10_000 });
    expect(await bot.stop()).toBe(0);
    expect(emu.confirmedUpdateId).toBeGreaterThanOrEqual(update_id!);
  });
});

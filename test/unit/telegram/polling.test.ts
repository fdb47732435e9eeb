import { Bot } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { startPolling, type Polling } from '../../../src/telegram/polling.ts';
import { startEmulator, type Emulator } from '../../support/emulator.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let emu: Emulator;
let polling: Polling | undefined;
afterEach(async () => {
  await polling?.stop().catch(() => undefined);
  polling = undefined;
  await emu?.close();
});

/** A bot that logs when it starts and ends each message, taking `ms(text)` to answer. */
async function loggingBot(ms: (text: string) => number) {
  emu = await startEmulator();
  const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
  const log: string[] = [];
  const failures: string[] = [];
  bot.on('message:text', async (ctx) => {
    log.push(`start ${ctx.message.text}`);
    await sleep(ms(ctx.message.text));
    if (ctx.message.text.startsWith('fail')) throw new Error(ctx.message.text);
    log.push(`end ${ctx.message.text}`);
  });
  bot.catch((error) => void failures.push((error.error as Error).message));
  return { bot, log, failures };
}

const ask = (user: number, text: string) => emu.sendUserMessage({ chat: 'private', from: { id: user, first_name: `U${user}` }, text }).update_id!;

describe('startPolling', () => {
  it("serves chats at once and each chat's updates in order, and confirms a batch once all of it is handled", async () => {
    const { bot, log } = await loggingBot((text) => (text === 'a1' ? 300 : 10));
    // Queued before polling starts: one batch.
    ask(1, 'a1');
    ask(1, 'a2');
    const last = ask(2, 'b1');
    polling = startPolling(bot, { allowedUpdates: ['message'] });
    await emu.waitForConfirmation(last, { timeoutMs: 5000 });
    // b1 (another chat) did not wait for the slow a1; a2 (the same chat) did.
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    expect(log).toHaveLength(6);
  });

  it('hands a failing update to bot.catch and goes on with the rest', async () => {
    const { bot, log, failures } = await loggingBot(() => 5);
    ask(1, 'fail once');
    const last = ask(1, 'after');
    polling = startPolling(bot, { allowedUpdates: ['message'] });
    await emu.waitForConfirmation(last, { timeoutMs: 5000 });
    expect(failures).toEqual(['fail once']);
    expect(log).toContain('end after');
  });

  it('on stop, finishes the batch in hand and confirms it, so a restart does not get it again', async () => {
    const { bot, log } = await loggingBot(() => 300);
    const first = ask(1, 'slow');
    polling = startPolling(bot, { allowedUpdates: ['message'] });
    while (!log.includes('start slow')) await sleep(5);
    await polling.stop();
    expect(log).toContain('end slow');
    expect(emu.confirmedUpdateId).toBeGreaterThanOrEqual(first);
    expect(polling.isRunning()).toBe(false);
  });
});

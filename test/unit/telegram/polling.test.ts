import { Bot, GrammyError } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { RETRY_MAX_MS } from '../../../src/telegram/backoff.ts';
import { retryDelayMs, startPolling, type Polling } from '../../../src/telegram/polling.ts';
import { startEmulator, type Emulator } from '../../support/emulator.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let emu: Emulator;
let polling: Polling | undefined;
/** Lets a held update go on; afterEach calls it so that a failed test does not hold stop() forever. */
let release: () => void = () => undefined;
/** Waits until `condition` holds; throws after `timeoutMs` (a bound on hangs, not a timing claim). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition.toString()}`);
    await sleep(5);
  }
}
afterEach(async () => {
  release();
  await polling?.stop().catch(() => undefined);
  polling = undefined;
  await emu?.close();
});

/** A bot that logs when it starts and ends each message, taking `ms(text)` to answer (or until `gate(text)` resolves). */
async function loggingBot(ms: (text: string) => number, gate: (text: string) => Promise<void> | undefined = () => undefined) {
  emu = await startEmulator();
  const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
  const log: string[] = [];
  const failures: string[] = [];
  bot.on('message:text', async (ctx) => {
    log.push(`start ${ctx.message.text}`);
    await sleep(ms(ctx.message.text));
    await gate(ctx.message.text);
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

  it("keeps fetching and answering other chats while one chat's update waits, and confirms nothing past it", { timeout: 30_000 }, async () => {
    const held = new Promise<void>((resolve) => (release = resolve));
    const { bot, log } = await loggingBot(() => 5, (text) => (text === 'stuck' ? held : undefined));
    const stuck = ask(1, 'stuck');
    polling = startPolling(bot, { allowedUpdates: ['message'] });
    await until(() => log.includes('start stuck'));
    // asked after the stuck update was fetched: a later getUpdates must bring them
    const later = [ask(2, 'b1'), ask(3, 'c1'), ask(1, 'a2')];
    await until(() => log.includes('end b1') && log.includes('end c1'));
    expect(log).not.toContain('end stuck');
    // the same chat keeps its order
    expect(log).not.toContain('start a2');
    // Telegram is told nothing past the update in hand: a crash now gets it delivered again
    expect(emu.confirmedUpdateId).toBeLessThan(stuck);
    release();
    await emu.waitForConfirmation(later.at(-1)!, { timeoutMs: 10_000 });
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end stuck'));
  });
});

describe('retryDelayMs', () => {
  it('starts short and doubles up to a cap, so updates flow again within seconds of an outage', () => {
    const delays = Array.from({ length: 12 }, (_, failures) => retryDelayMs(new Error('ECONNREFUSED'), failures));
    expect(delays[0]).toBeLessThan(1000);
    expect(Math.max(...delays)).toBe(RETRY_MAX_MS);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
  });

  it('waits what a 429 says, and ends polling on 401 and 409', () => {
    const error = (code: number, parameters = {}) => new GrammyError('e', { ok: false, error_code: code, description: 'x', parameters }, 'getUpdates', {});
    expect(retryDelayMs(error(429, { retry_after: 7 }), 0)).toBe(7000);
    expect(() => retryDelayMs(error(401), 0)).toThrow();
    expect(() => retryDelayMs(error(409), 3)).toThrow();
  });
});

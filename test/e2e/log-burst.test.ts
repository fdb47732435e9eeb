/**
 * Logging never kills the bot: with standard error a pipe nobody reads (its buffer full, every
 * write refused with EAGAIN), a burst of logged updates neither crashes the bot nor stops it
 * answering; the lines held back reach the pipe once it is read again.
 */
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, logLines } from '../support/bot-process.ts';
import { sendAndWaitForReply, WAIT_MS } from '../support/e2e.ts';
import { useBot } from '../support/use-bot.ts';

const FLOODER = { id: 310001, first_name: 'Flo', language_code: 'en' };
const CALM = { id: 310002, first_name: 'Cal', language_code: 'en' };
/**
 * Over-limit messages, each logged ("rate limited", ~130 bytes): twice the burst that killed the
 * bot in issue #15 (1,500), several times what a pipe holds (64 KiB on Linux).
 */
const BURST = 3_000;

// One question a minute: the flood is rate limited and every dropped message logs a line.
const t = useBot({ env: { RATE_LIMIT_PER_MINUTE: '1' } });

describe('a burst of logs while standard error is not read', { timeout: 4 * E2E_TIMEOUT_MS }, () => {
  it('keeps the bot running and answering, and delivers the held-back lines later', async () => {
    const stderr = t.bot.child.stderr!;
    stderr.pause(); // nobody reads: the pipe fills and the bot's writes to it fail with EAGAIN
    const since = t.emu.mark();
    for (let i = 0; i < BURST; i++) t.emu.sendUserMessage({ chat: 'private', from: FLOODER, text: `railway ${i}` });
    // Every update of the burst is handled (confirmed), and a calm user is still answered.
    const last = t.emu.sendUserMessage({ chat: 'private', from: FLOODER, text: 'railway last' });
    await t.emu.waitForConfirmation(last.update_id!, { timeoutMs: 6 * WAIT_MS });
    const { message } = await sendAndWaitForReply(t.emu, { chat: 'private', from: CALM, text: 'natural gas pipeline' });
    expect(message.text).toMatch(/\S/);
    expect(t.bot.alive).toBe(true);
    const flooderMessages = t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.params.chat_id === FLOODER.id);
    expect(flooderMessages).toHaveLength(2); // one answer, one "slow down"

    stderr.resume();
    // The stop line comes after the burst's lines: once it is read, they all were (or were counted as dropped).
    expect(await t.bot.stop()).toBe(0);
    const lines = logLines(t.bot.stderr);
    const limited = lines.filter((l) => l.msg === 'rate limited').length;
    const dropped = lines.filter((l) => l.msg === 'log lines dropped').reduce((sum, l) => sum + Number(l.dropped), 0);
    expect(limited + dropped).toBeGreaterThanOrEqual(BURST);
    expect(lines.some((l) => l.msg === 'bot stopped')).toBe(true);
    t.expectCleanRun();
  });
});

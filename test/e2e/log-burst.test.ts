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
 * Messages from a chat outside ALLOWED_CHAT_IDS, each logged at debug (~120 bytes): twice the burst
 * that killed the bot in issue #15 (1,500), several times what a pipe holds (64 KiB on Linux).
 */
const BURST = 3_000;
const NOT_ALLOWED = 'update from a chat not in ALLOWED_CHAT_IDS dropped';

// Every message of the flood logs a line. (A rate-limited flood no longer does: it is logged once.)
const t = useBot({ env: { ALLOWED_CHAT_IDS: String(CALM.id), LOG_LEVEL: 'debug' } });

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
    expect(flooderMessages).toHaveLength(0);

    stderr.resume();
    // The stop line comes after the burst's lines: once it is read, they all were (or were counted as dropped).
    expect(await t.bot.stop()).toBe(0);
    const lines = logLines(t.bot.stderr);
    const notAllowed = lines.filter((l) => l.msg === NOT_ALLOWED).length;
    const dropped = lines.filter((l) => l.msg === 'log lines dropped').reduce((sum, l) => sum + Number(l.dropped), 0);
    expect(notAllowed + dropped).toBeGreaterThanOrEqual(BURST);
    expect(lines.some((l) => l.msg === 'bot stopped')).toBe(true);
    t.expectCleanRun();
  });
});

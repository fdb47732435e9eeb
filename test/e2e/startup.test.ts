/** Start-up and shutdown of the process: configuration errors, an empty data folder, a refused token, signals. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, logLines, runBot, spawnBot, startBot, startTestEmulator, TEST_TOKEN } from '../support/bot-process.ts';
import { WAIT_MS } from '../support/e2e.ts';
import { useBot } from '../support/use-bot.ts';

let scratch: string;

// Each test starts (and kills) its own bot process.
const t = useBot({
  start: false,
  async before() {
    scratch = await mkdtemp(join(tmpdir(), 'citebot-startup-'));
  },
  after: () => rm(scratch, { recursive: true, force: true }),
});

/** No stack trace: configuration problems are the operator's to fix, not a crash. */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

describe('start-up failures', { timeout: E2E_TIMEOUT_MS }, () => {
  it('reports a bad token and a bad log level at once, and exits 1', async () => {
    const run = await runBot({ BOT_TOKEN: 'bad', LOG_LEVEL: 'loud', TELEGRAM_API_ROOT: t.emu.apiRoot });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/BOT_TOKEN/);
    expect(run.stderr).toMatch(/LOG_LEVEL/);
    expect(run.stderr).toMatch(/loud/);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stdout).toBe('');
  });

  it('names a bad API root alongside the other problems', async () => {
    const run = await runBot({ BOT_TOKEN: 'bad', LOG_LEVEL: 'loud', TELEGRAM_API_ROOT: 'ftp://example.com' });
    expect(run.code).toBe(1);
    for (const name of ['BOT_TOKEN', 'LOG_LEVEL', 'TELEGRAM_API_ROOT']) expect(run.stderr).toContain(name);
  });

  it('without BOT_TOKEN and without a terminal, exits 1 and says how to get a token', async () => {
    const run = await runBot({ LOG_LEVEL: 'info' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/BOT_TOKEN is not set/);
    expect(run.stderr).toMatch(/@BotFather/);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('with an empty data folder, exits 1 and names the folder', async () => {
    const empty = join(scratch, 'empty');
    await mkdir(empty);
    const run = await runBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: t.emu.apiRoot, DATA_DIR: empty });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no passages found in ${empty}`);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('with a missing data folder, or one whose only file is unreadable, exits 1 with a clear message', async () => {
    const missing = await runBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: t.emu.apiRoot, DATA_DIR: join(scratch, 'nope') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/data folder not found/);
    const junk = join(scratch, 'junk');
    await mkdir(junk);
    await writeFile(join(junk, 'broken.jsonl'), '{not json\n');
    const broken = await runBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: t.emu.apiRoot, DATA_DIR: junk });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/no passages found/);
  });

  it('exits 1 when Telegram refuses the token (401), without writing the token', async () => {
    const other = await startTestEmulator({ token: '7000000002:AAOtherB0tT0kenThatIsNotOurs-123456789' });
    try {
      const run = await runBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: other.apiRoot, LOG_LEVEL: 'debug' });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/401|Unauthorized/);
      expect(run.stdout + run.stderr).not.toContain(TEST_TOKEN);
      expect(run.stdout + run.stderr).not.toContain(TEST_TOKEN.split(':')[1]);
      expect(other.calls.map((c) => c.error_code)).toContain(401);
    } finally {
      await other.close();
    }
  });
});

describe('signals', { timeout: E2E_TIMEOUT_MS }, () => {
  it('SIGTERM while polling: exits 0 and confirms the updates it handled', async () => {
    const bot = await startBot(t.emu);
    try {
      const asked = t.emu.sendUserMessage({ text: 'railway' });
      await t.emu.waitForMessage(asked.message.chat.id, undefined, { timeoutMs: WAIT_MS });
      expect(await bot.stop()).toBe(0);
      expect(t.emu.confirmedUpdateId).toBeGreaterThanOrEqual(asked.update_id!);
      expect(t.emu.pendingUpdates()).toEqual([]);
      expect(bot.output).not.toContain(TEST_TOKEN);
    } finally {
      bot.kill();
    }
  });

  it('SIGINT while polling: exits 0 too', async () => {
    const bot = await startBot(t.emu);
    try {
      bot.child.kill('SIGINT');
      expect(await bot.exited).toBe(0);
      expect(logLines(bot.stderr).find((l) => l.msg === 'stopping')).toMatchObject({ signal: 'SIGINT' });
    } finally {
      bot.kill();
    }
  });

  it('SIGTERM during start-up (Telegram slow to set the command menus): exits 0 without starting to poll', async () => {
    const since = t.emu.mark();
    t.emu.failNext('setMyCommands', { error_code: 429, retry_after: 3 });
    const bot = spawnBot({ BOT_TOKEN: t.emu.token, TELEGRAM_API_ROOT: t.emu.apiRoot, DATA_DIR: 'data', LOG_LEVEL: 'debug' });
    try {
      await t.emu.waitForCall('setMyCommands', (c) => c.injected, { since, timeoutMs: 15_000 });
      expect(await bot.stop(10_000)).toBe(0);
      expect(t.emu.calls.slice(since).filter((c) => c.method === 'getUpdates' && !c.aborted && c.params.timeout !== undefined)).toEqual([]);
      expect(bot.output).not.toContain(TEST_TOKEN);
    } finally {
      bot.kill();
    }
  });

  it('SIGTERM while Telegram is unreachable at start-up: exits 0, and the failed attempts are logged', async () => {
    const closed = await startTestEmulator();
    const apiRoot = closed.apiRoot;
    await closed.close(); // nothing listens there any more
    const bot = spawnBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, DATA_DIR: 'data', LOG_LEVEL: 'info' });
    try {
      const deadline = Date.now() + 15_000;
      while (!logLines(bot.stderr).some((l) => l.level === 40 && l.method === 'getMe') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(logLines(bot.stderr).find((l) => l.method === 'getMe')).toMatchObject({ level: 40 });
      expect(await bot.stop(10_000)).toBe(0);
      expect(bot.output).not.toContain(TEST_TOKEN);
    } finally {
      bot.kill();
    }
  });

  it('answers, after a restart, the questions sent while it was down', async () => {
    const since = t.emu.mark();
    const asked = t.emu.sendUserMessage({ text: '中吉乌铁路' });
    expect(asked.delivered).toBe(true); // queued: no bot is polling
    const bot = await startBot(t.emu);
    try {
      // From `since`: the first poll returns the queued question, so the answer can come before startBot resolves.
      const answer = await t.emu.waitForMessage(asked.message.chat.id, undefined, { since, timeoutMs: WAIT_MS });
      expect(answer.reply_to_message?.message_id).toBe(asked.message.message_id);
      expect(await bot.stop()).toBe(0);
      expect(t.emu.pendingUpdates()).toEqual([]);
    } finally {
      bot.kill();
    }
  });
});

/**
 * `node --import tsx test/bench/polling-faults.ts [--root DIR] [--outage-ms 25000] [--retry-after 8]`
 *
 * Long polling under faults, measured, not tested: each scenario starts the Bot API emulator and
 * the bot as its own process (`node --import tsx src/main.ts` in DIR, default this checkout — point
 * it at an older checkout to compare), injects one fault and reports what users saw:
 * - flood: one chat's sendMessage gets 429 retry_after N; five other chats ask after it; how long
 *   each waited for its answer (from the moment its update was queued);
 * - outage: getUpdates fails (connection dropped) for `--outage-ms`; a question asked during it;
 *   how long after the outage ended it was answered;
 * - outage of sendMessage with an answer in hand: how long after the outage ended it was sent;
 * - malformed: an update without update_id; getUpdates calls in the next 3 s, and whether a
 *   question asked after it is answered.
 * Every question is counted: asked, answered, answered twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, startTestEmulator, TEST_TOKEN, waitForPolling } from '../support/bot-process.ts';
import { ApiError, type Emulator, type EmulatorCall, type UserInput } from '../support/emulator.ts';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: ROOT },
    'outage-ms': { type: 'string', default: '25000' },
    'retry-after': { type: 'string', default: '8' },
  },
});
const root = resolve(values.root);
const OUTAGE_MS = Number(values['outage-ms']);
const RETRY_AFTER = Number(values['retry-after']);
const user = (id: number): UserInput => ({ id, first_name: `U${id}`, language_code: 'en' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withBot<T>(run: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = await startTestEmulator();
  const state = mkdtempSync(join(tmpdir(), 'citebot-faults-'));
  const since = emu.mark();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: emu.apiRoot, DATA_DIR: 'data', LOG_LEVEL: 'warn', STATE_DIR: state, RATE_LIMIT_PER_MINUTE: '0', WEBHOOK_URL: '', ALLOWED_CHAT_IDS: '', ADMIN_IDS: '' },
    stdio: 'ignore',
  });
  try {
    await waitForPolling(emu, since, 60_000);
    return await run(emu);
  } finally {
    child.kill('SIGKILL');
    await emu.close();
    rmSync(state, { recursive: true, force: true });
  }
}

const replyTo = (emu: Emulator, chatId: number, messageId: number, since: number, timeoutMs: number) =>
  emu
    .waitForCall('sendMessage', (c: EmulatorCall) => c.ok && c.params.chat_id === chatId && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === messageId, { since, timeoutMs })
    .catch(() => null);

async function flood(emu: Emulator): Promise<string> {
  const since = emu.mark();
  const flooded = user(700001);
  emu.failNext('sendMessage', { error_code: 429, retry_after: RETRY_AFTER, chat_id: flooded.id });
  const first = emu.sendUserMessage({ from: flooded, text: 'railway' });
  const queuedAt = new Map<number, number>([[flooded.id, performance.now()]]);
  await emu.waitForCall('sendMessage', (c) => c.injected, { since, timeoutMs: 30_000 });
  const others = [700002, 700003, 700004, 700005, 700006].map((id) => {
    queuedAt.set(id, performance.now());
    return emu.sendUserMessage({ from: user(id), text: 'trade' });
  });
  const waits: Record<string, number> = {};
  await Promise.all(
    [first, ...others].map(async ({ message }) => {
      const call = await replyTo(emu, message.chat.id, message.message_id, since, 60_000);
      waits[message.chat.id] = call ? Math.round(performance.now() - queuedAt.get(message.chat.id)!) : NaN;
    }),
  );
  const otherWaits = others.map((o) => waits[o.message.chat.id]!).sort((a, b) => a - b);
  const sent = emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.ok).length;
  return `flood (429 retry_after ${RETRY_AFTER} s on one chat): flooded chat ${waits[flooded.id]} ms; 5 other chats asked after it: ${otherWaits.join(', ')} ms; ${sent}/6 answers sent`;
}

async function outage(emu: Emulator): Promise<string> {
  const since = emu.mark();
  const started = performance.now();
  emu.failNext('getUpdates', { network: true, forMs: OUTAGE_MS });
  emu.queue.endPoll(new ApiError(502, 'Bad Gateway'));
  await sleep(1_000);
  const asked = emu.sendUserMessage({ from: user(700010), text: 'railway' });
  const call = await replyTo(emu, asked.message.chat.id, asked.message.message_id, since, OUTAGE_MS + 120_000);
  const afterMs = call ? Math.round(performance.now() - started - OUTAGE_MS) : NaN;
  const failed = emu.calls.slice(since).filter((c) => c.method === 'getUpdates' && c.injected).length;
  return `outage (getUpdates connection dropped for ${OUTAGE_MS / 1000} s): question asked 1 s in answered ${afterMs} ms after the outage ended; ${failed} failed getUpdates attempts`;
}

async function sendOutage(emu: Emulator): Promise<string> {
  const since = emu.mark();
  const started = performance.now();
  emu.failNext('sendMessage', { network: true, forMs: OUTAGE_MS });
  const asked = emu.sendUserMessage({ from: user(700030), text: 'trade' });
  const call = await replyTo(emu, asked.message.chat.id, asked.message.message_id, since, OUTAGE_MS + 120_000);
  const afterMs = call ? Math.round(performance.now() - started - OUTAGE_MS) : NaN;
  const failed = emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.injected).length;
  return `outage of sendMessage (connection dropped for ${OUTAGE_MS / 1000} s) with an answer in hand: sent ${afterMs} ms after the outage ended; ${failed} failed attempts`;
}

async function malformed(emu: Emulator): Promise<string> {
  await emu.waitForCall('getUpdates', undefined, { timeoutMs: 1 }).catch(() => undefined);
  // one question first, so the poller has an offset
  const warm = emu.sendUserMessage({ from: user(700020), text: 'trade' });
  await replyTo(emu, warm.message.chat.id, warm.message.message_id, 0, 30_000);
  const since = emu.mark();
  emu.injectUpdate({ message: { message_id: 99, date: 1_700_000_000, chat: { id: 700021, type: 'private' }, text: 'railway' } }, { withoutUpdateId: true });
  await sleep(3_000);
  const calls = emu.calls.slice(since).filter((c) => c.method === 'getUpdates');
  const invalid = calls.filter((c) => !c.ok).length;
  const asked = emu.sendUserMessage({ from: user(700022), text: 'railway' });
  const call = await replyTo(emu, asked.message.chat.id, asked.message.message_id, since, 15_000);
  return `malformed update (no update_id): ${calls.length} getUpdates calls in the 3 s after it (${invalid} refused); the next question ${call ? 'answered' : 'NOT answered within 15 s'}`;
}

console.log(`root ${root}`);
for (const scenario of [flood, outage, sendOutage, malformed]) console.log(await withBot(scenario));
process.exit(0);

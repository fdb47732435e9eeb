/**
 * `npm run bench:load -- [--users 50] [--questions 10] [--mode polling|webhook|both] [--latency ms]`
 *
 * A load benchmark, not a test: starts the Bot API emulator and the bot as its own process
 * (`node --import tsx src/main.ts`, as `npm start`), then has many users ask questions at once
 * and reports throughput (answered updates/s) and update-to-reply latency p50/p99, measured from
 * the moment an update is queued to the moment the bot's sendMessage reaches the emulator.
 * No per-user rate limit (RATE_LIMIT_PER_MINUTE=0): this measures the bot, not its limiter.
 * `--latency` delays the emulator's answer to every call but getUpdates, as the network between a
 * bot and Telegram's servers does (the emulator on 127.0.0.1 answers in about a millisecond).
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { startBot, startTestEmulator, type BotProcess } from '../support/bot-process.ts';
import { spawnWebhookBot } from '../support/webhook.ts';
import type { Emulator } from '../support/emulator.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '50' },
    questions: { type: 'string', default: '10' },
    mode: { type: 'string', default: 'both' },
    latency: { type: 'string', default: '0' },
  },
});
const USERS = Number(values.users);
const QUESTIONS = Number(values.questions);
const ASKED = ['China-Kyrgyzstan-Uzbekistan railway', '中吉乌铁路进展如何？', 'How much has trade grown?', '新冠疫情期间中亚国家如何帮助中国？', 'natural gas pipeline', 'What is the capital of France?'];

async function start(mode: 'polling' | 'webhook'): Promise<{ emu: Emulator; bot: BotProcess }> {
  const emu = await startTestEmulator({ webhookRetryMs: 200, responseDelayMs: Number(values.latency) });
  if (mode === 'polling') return { emu, bot: await startBot(emu, { logLevel: 'warn', env: { RATE_LIMIT_PER_MINUTE: '0' } }) };
  const { bot } = await spawnWebhookBot(emu, { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' });
  return { emu, bot };
}

async function run(mode: 'polling' | 'webhook'): Promise<string> {
  const { emu, bot } = await start(mode);
  const since = emu.mark();
  const askedAt = new Map<string, number>(); // chat:message_id → ms
  const total = USERS * QUESTIONS;
  const started = Date.now();
  // Every user sends their questions one after another, all users at once.
  for (let q = 0; q < QUESTIONS; q++) {
    for (let u = 0; u < USERS; u++) {
      const from = { id: 500_000 + u, first_name: `User${u}`, language_code: u % 2 ? 'zh' : 'en' };
      const { message } = emu.sendUserMessage({ chat: 'private', from, text: ASKED[(u + q) % ASKED.length]! });
      askedAt.set(`${from.id}:${message.message_id}`, Date.now());
    }
  }
  const deadline = Date.now() + 300_000;
  let answers = emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.ok);
  while (answers.length < total && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    answers = emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.ok);
  }
  const elapsed = (Math.max(...answers.map((c) => c.at)) - started) / 1000;
  const latencies = answers
    .map((c) => {
      const replyTo = (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id;
      const t = askedAt.get(`${c.params.chat_id}:${replyTo}`);
      return t === undefined ? undefined : c.at - t;
    })
    .filter((x): x is number => x !== undefined)
    .sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  await bot.stop(20_000);
  await emu.close();
  return `| ${mode} | ${USERS} × ${QUESTIONS} | ${answers.length}/${total} | ${(answers.length / elapsed).toFixed(1)} | ${pct(0.5)} | ${pct(0.99)} | ${latencies.at(-1)} |`;
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString()}`);
console.log('| mode | users × questions | answered | updates/s | p50 ms | p99 ms | max ms |');
console.log('|---|---|---|---|---|---|---|');
for (const mode of values.mode === 'both' ? (['polling', 'webhook'] as const) : [values.mode as 'polling' | 'webhook']) {
  console.log(await run(mode));
}

/**
 * Runs the bot as its own process, exactly as `npm start` does (`node --import tsx src/main.ts`),
 * against the Bot API emulator, and collects everything it writes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from './emulator.ts';

/** The repository root: the bot's working directory. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A token in BotFather's shape (the bot's config rejects anything else), accepted by the test emulator. */
export const TEST_TOKEN = '7000000001:AAH4c1t3b0t-e2e_T0k3n-n0t-R3al-xYz987';

/** Generous per-test timeout for end-to-end tests, in ms (a bound on hangs, not a performance claim). */
export const E2E_TIMEOUT_MS = 20_000;

/** Starts an emulator that accepts TEST_TOKEN. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ token: TEST_TOKEN, ...options });
}

/** Environment variables the bot reads; unset names are passed as empty so a local `.env` cannot fill them in. */
export interface BotEnv {
  BOT_TOKEN?: string;
  TELEGRAM_API_ROOT?: string;
  DATA_DIR?: string;
  LOG_LEVEL?: string;
  WEBHOOK_URL?: string;
  WEBHOOK_SECRET?: string;
  PORT?: string;
  ALLOWED_CHAT_IDS?: string;
  RATE_LIMIT_PER_MINUTE?: string;
  STATE_DIR?: string;
  ADMIN_IDS?: string;
  INDEX_CACHE_DIR?: string;
}

/** A running (or finished) bot process. */
export interface BotProcess {
  readonly child: ChildProcess;
  /** Everything written to standard output so far. */
  readonly stdout: string;
  /** Everything written to standard error so far. */
  readonly stderr: string;
  /** Standard output and standard error, interleaved as received. */
  readonly output: string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Whether the process is still running. */
  readonly alive: boolean;
  /** Sends SIGTERM and resolves with the exit code; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL, for teardown; safe to call on an exited process. */
  kill(): void;
}

const running = new Set<ChildProcess>();
const stateDirs = new WeakMap<Emulator, string>();
const createdStateDirs: string[] = [];
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of createdStateDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * The bot's STATE_DIR (its journal of handled updates) for one emulator: shared by every bot
 * started against it, so a restarted bot knows what its predecessor handled, and apart from
 * other emulators, whose update ids start again at 1.
 */
export function stateDirFor(emu: Emulator): string {
  let dir = stateDirs.get(emu);
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'citebot-state-'));
    createdStateDirs.push(dir);
    stateDirs.set(emu, dir);
  }
  return dir;
}

/** Spawns `node --import tsx src/main.ts` with a clean environment plus `env`; does not wait for anything. */
export function spawnBot(env: BotEnv): BotProcess {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['BOT_TOKEN', 'DATA_DIR', 'LOG_LEVEL', 'TELEGRAM_API_ROOT', 'INDEX_CACHE_DIR', 'NODE_OPTIONS', 'DEBUG', 'WEBHOOK_URL', 'WEBHOOK_SECRET', 'PORT', 'ALLOWED_CHAT_IDS', 'RATE_LIMIT_PER_MINUTE', 'STATE_DIR', 'ADMIN_IDS']) delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...base, BOT_TOKEN: '', TELEGRAM_API_ROOT: '', DATA_DIR: '', LOG_LEVEL: '', WEBHOOK_URL: '', WEBHOOK_SECRET: '', PORT: '', ALLOWED_CHAT_IDS: '', RATE_LIMIT_PER_MINUTE: '0', STATE_DIR: 'off', ADMIN_IDS: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    output += chunk;
  });
  const exited = (async () => {
    // 'close' (not 'exit') so that every byte of output has been read
    const [code] = (await once(child, 'close')) as [number | null];
    running.delete(child);
    return code;
  })();
  const proc: BotProcess = {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    get output() {
      return output;
    },
    exited,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    async stop(timeoutMs = 10_000) {
      if (proc.alive) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    kill() {
      if (proc.alive) child.kill('SIGKILL');
    },
  };
  return proc;
}

/** Runs the bot to completion (for start-up failures) and returns its exit code and output. */
export async function runBot(env: BotEnv, timeoutMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bot = spawnBot(env);
  bot.child.stdin!.end();
  const timer = setTimeout(() => bot.kill(), timeoutMs);
  try {
    const code = await bot.exited;
    return { code, stdout: bot.stdout, stderr: bot.stderr };
  } finally {
    clearTimeout(timer);
  }
}

export interface StartBotOptions {
  /** Default `data`. */
  dataDir?: string;
  /** Default `debug`. */
  logLevel?: string;
  /** Further settings, e.g. ALLOWED_CHAT_IDS. */
  env?: BotEnv;
}

/**
 * Resolves once the bot polls: a long poll is waiting in the emulator, or a getUpdates call since
 * `since` has been answered (the emulator logs a call when it is answered, which for a long poll
 * with nothing to deliver is only after its timeout).
 */
export async function waitForPolling(emu: Emulator, since: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!emu.queue.hasWaitingPoll && !emu.calls.slice(since).some((c) => c.method === 'getUpdates' && c.ok)) {
    if (Date.now() > deadline) {
      const calls = emu.calls.slice(since).map((c) => `${c.method} ${c.ok ? 'ok' : c.error_code}`);
      throw new Error(`the bot did not poll within ${timeoutMs} ms; its calls: ${calls.join(', ') || 'none'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts the bot against `emu` and resolves once it long-polls, so that updates sent from then on
 * are handled. Rejects, with the bot's output, if the process exits or does not poll in time.
 */
export async function startBot(emu: Emulator, options: StartBotOptions = {}): Promise<BotProcess> {
  const since = emu.mark();
  const bot = spawnBot({
    BOT_TOKEN: emu.token,
    TELEGRAM_API_ROOT: emu.apiRoot,
    DATA_DIR: options.dataDir ?? 'data',
    LOG_LEVEL: options.logLevel ?? 'debug',
    STATE_DIR: stateDirFor(emu),
    ...options.env,
  });
  try {
    await Promise.race([
      waitForPolling(emu, since),
      bot.exited.then((code) => Promise.reject(new Error(`the bot exited with code ${code} before polling`))),
    ]);
  } catch (error) {
    bot.kill();
    throw new Error(`${(error as Error).message}\nbot output:\n${bot.output}`);
  }
  return bot;
}

/** The JSON log lines the bot wrote to standard error (other lines are skipped). */
export function logLines(text: string): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line cut by a crash is not a log record; the tests read whole records only
    }
  }
  return lines;
}

/**
 * Resolves with the bot's first log record that `predicate` accepts, waiting for it: standard
 * error reaches the test through a pipe, which can lag behind the calls the emulator has seen.
 */
export async function waitForLog(
  bot: BotProcess,
  predicate: (line: Record<string, unknown>) => boolean,
  timeoutMs = 5_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = logLines(bot.stderr).find(predicate);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Log records at error level or above (pino: 50 error, 60 fatal). */
export function errorLines(text: string): Array<Record<string, unknown>> {
  return logLines(text).filter((line) => typeof line.level === 'number' && line.level >= 50);
}

/** After each failed test, prints the end of the bot's output, which usually says why. */
export function printBotOutputOnFailure(current: () => BotProcess | undefined): void {
  afterEach(({ task }) => {
    const bot = current();
    if (task.result?.state === 'fail' && bot) console.error(`--- bot output (last 4000 characters) ---\n${bot.output.slice(-4000)}`);
  });
}

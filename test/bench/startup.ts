/**
 * Start-up time: from spawning the bot (`node --import tsx src/main.ts`, as `npm start` does) with
 * a generated corpus in DATA_DIR, to its answer to a private message that was sent right away
 * (the Bot API emulator queues the update until the bot's first getUpdates). Measured cold (no
 * index snapshot yet: parse, index, write the snapshot) and warm (restore the snapshot).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Passage } from '../../src/corpus/types.ts';
import { startEmulator } from '../support/emulator.ts';
import { writeJsonl } from './corpus.ts';

/** The repository root: the bot's working directory. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A token in BotFather's shape (the bot's config rejects anything else); the emulator accepts it. */
const TOKEN = '7000000002:AAH4c1t3b0t-b3nch_T0k3n-n0t-R3al-xYz987';

export interface StartupResult {
  /** Spawn → first sendMessage to the user's chat, ms. */
  totalMs: number;
  /** What the bot logged for loading and indexing the corpus ("corpus loaded" ms), and whether a snapshot was loaded or written. */
  loadMs: number | null;
  snapshot: string | null;
  /** Process start → polling, as the bot logged it ("bot started" readyMs). */
  readyMs: number | null;
  /** Peak resident set size of the bot process, MiB (from /proc, sampled). */
  peakRssMiB: number | null;
  /** Heap flag given to the bot, when the default heap was not enough. */
  heapFlag: string | null;
  /** Last warning the bot logged (e.g. a snapshot it could not write). */
  warning: string | null;
}

export interface StartupOptions {
  /** --max-old-space-size for the bot, MiB; default: Node's default heap. */
  heapMiB?: number;
  timeoutMs?: number;
}

/**
 * Writes `passages` to a temporary data folder and starts the bot twice with a temporary
 * INDEX_CACHE_DIR: cold (parse, index, write the snapshot) and warm (restore the snapshot).
 * Removes the folders afterwards. The bot never sees the repository's own cache.
 */
export async function measureStartup(
  passages: readonly Passage[],
  question: string,
  options: StartupOptions = {},
): Promise<{ cold: StartupResult; warm: StartupResult }> {
  const dir = await mkdtemp(join(tmpdir(), 'citebot-bench-'));
  try {
    const dataDir = join(dir, 'data');
    const cacheDir = join(dir, 'cache');
    await mkdir(dataDir);
    await writeJsonl(dataDir, 'corpus', passages);
    const cold = await runOnce(dataDir, cacheDir, question, options);
    const warm = await runOnce(dataDir, cacheDir, question, options);
    return { cold, warm };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One start of the bot on an existing data folder and snapshot folder (cold or warm, as they are). */
export async function runOnce(dataDir: string, cacheDir: string, question: string, options: StartupOptions): Promise<StartupResult> {
  const emu = await startEmulator({ token: TOKEN });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['NODE_OPTIONS', 'DEBUG']) delete env[name];
  const heapFlag = options.heapMiB ? `--max-old-space-size=${options.heapMiB}` : null;
  if (heapFlag) env.NODE_OPTIONS = heapFlag;
  const since = emu.mark();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...env, BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot, DATA_DIR: dataDir, INDEX_CACHE_DIR: cacheDir, LOG_LEVEL: 'info',
      // A journal of its own per run: every emulator numbers its updates from 1 again.
      STATE_DIR: join(cacheDir, `state-${performance.now()}`) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(child.pid))), 200);
  try {
    const injected = emu.sendUserMessage({ text: question });
    if (!injected.delivered) throw new Error(`not delivered to the bot: ${injected.reason}`);
    await Promise.race([
      emu.waitForMessage(injected.message.chat.id, undefined, { since, timeoutMs: options.timeoutMs ?? 3_600_000 }),
      exited.then((code) => Promise.reject(new Error(`the bot exited with code ${code} before answering:\n${output.slice(-2000)}`))),
    ]);
    const totalMs = performance.now() - started;
    const logs = output.split('\n').flatMap((line) => {
      try {
        return line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
    const loaded = logs.find((l) => l.msg === 'corpus loaded');
    const ready = logs.find((l) => l.msg === 'bot started');
    const warning = logs.filter((l) => l.level === 40).at(-1);
    return {
      totalMs,
      loadMs: typeof loaded?.ms === 'number' ? loaded.ms : null,
      snapshot: typeof loaded?.snapshot === 'string' ? loaded.snapshot : null,
      readyMs: typeof ready?.readyMs === 'number' ? ready.readyMs : null,
      peakRssMiB: peakRss ? peakRss / 2 ** 20 : null,
      heapFlag,
      warning: warning ? `${String(warning.msg)}${warning.error ? `: ${String(warning.error)}` : ''}` : null,
    };
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    await emu.close();
  }
}

/** Resident set size of a process in bytes (Linux /proc), 0 when unknown. */
function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // statm: size resident shared ... in pages
    const statm = readFileSync(`/proc/${pid}/statm`, 'utf8');
    return Number(statm.split(' ')[1]) * 4096;
  } catch {
    return 0;
  }
}

/** The set-up every end-to-end file shares: an emulator, the bot process against it, and the checks they end with. */
import { afterAll, beforeAll, expect } from 'vitest';
import { E2E_TIMEOUT_MS, errorLines, printBotOutputOnFailure, startBot, startTestEmulator, TEST_TOKEN, type BotProcess, type StartBotOptions } from './bot-process.ts';
import { problems } from './e2e.ts';
import type { Emulator, EmulatorOptions } from './emulator.ts';

export interface UseBotOptions extends StartBotOptions {
  emulator?: EmulatorOptions;
  /**
   * Runs once the emulator listens, before the bot starts (a temporary data folder, the bot added
   * to a group); what it returns is merged into the start options.
   */
  before?: (emu: Emulator) => Promise<StartBotOptions | void> | StartBotOptions | void;
  /** Runs at the end, after the bot is killed and the emulator closed (removing temporary folders). */
  after?: () => Promise<void> | void;
  /** False: the file starts its bot itself (webhook mode), with `adopt`. Default true. */
  start?: boolean;
}

/** The file's emulator and bot, valid inside tests and hooks. */
export interface BotUnderTest {
  readonly emu: Emulator;
  /** The bot process started last. */
  readonly bot: BotProcess;
  /** Everything every bot process of this file wrote, restarts included. */
  readonly output: string;
  /** Starts a bot (again) against the same emulator and update journal, with the file's options. */
  start(): Promise<BotProcess>;
  /** Makes a bot the file spawned itself the current one (output, teardown, failure reports). */
  adopt(bot: BotProcess): BotProcess;
  /**
   * The checks a file ends with: the bot made only valid calls and logged no errors (or exactly
   * the `problems` and `errors` expected), and never wrote its token.
   */
  expectCleanRun(expected?: { problems?: unknown[]; errors?: unknown[] }): void;
}

/**
 * Starts the emulator and the bot before the file's tests, prints the bot's output when a test
 * fails, and kills the bot and closes the emulator after them.
 */
export function useBot(options: UseBotOptions = {}): BotUnderTest {
  let emu: Emulator | undefined;
  let startOptions: StartBotOptions = options;
  const bots: BotProcess[] = [];
  const current = () => bots.at(-1);

  const t: BotUnderTest = {
    get emu() {
      if (!emu) throw new Error('useBot: the emulator starts in beforeAll');
      return emu;
    },
    get bot() {
      const bot = current();
      if (!bot) throw new Error('useBot: no bot started yet');
      return bot;
    },
    get output() {
      return bots.map((b) => b.output).join('');
    },
    async start() {
      return t.adopt(await startBot(t.emu, startOptions));
    },
    adopt(bot) {
      current()?.kill();
      bots.push(bot);
      return bot;
    },
    expectCleanRun(expected = {}) {
      expect(problems(t.emu)).toEqual(expected.problems ?? []);
      expect(errorLines(t.output)).toEqual(expected.errors ?? []);
      expect(t.output).not.toContain(TEST_TOKEN);
      expect(t.output).not.toContain(TEST_TOKEN.split(':')[1]);
    },
  };

  beforeAll(async () => {
    emu = await startTestEmulator(options.emulator);
    startOptions = { ...options, ...((await options.before?.(emu)) ?? {}) };
    if (options.start !== false) await t.start();
  }, E2E_TIMEOUT_MS);

  printBotOutputOnFailure(current);

  afterAll(async () => {
    for (const bot of bots) bot.kill();
    await emu?.close();
    await options.after?.();
  });
  return t;
}

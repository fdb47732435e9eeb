/**
 * Composition root: environment → config → logger → corpus and index → bot (or a console chat
 * when there is no token) → long polling, or a webhook server, until SIGINT or SIGTERM.
 */
import dotenv from 'dotenv';
import { GrammyError } from 'grammy';
import { runConsoleChat } from './cli/console-chat.ts';
import { ConfigError, parseConfig } from './config.ts';
import { CorpusError } from './corpus/load.ts';
import { createLogger, flushLogs, redact, type Logger } from './logger.ts';
import { createProgressBar, openIndex, openIndexInWorker } from './startup.ts';
import { ALLOWED_UPDATES, createBot } from './telegram/bot.ts';
import type { IndexHolder, LoadedIndex } from './telegram/context.ts';
import { registerCommands, setAdminMenus } from './telegram/menus.ts';
import { startPolling, type Polling } from './telegram/polling.ts';
import { openUpdateJournal } from './telegram/update-journal.ts';
import { createWebhookServer } from './telegram/webhook.ts';

/** How long shutdown waits for updates in flight. */
const DRAIN_MS = 10_000;

async function main(): Promise<number> {
  dotenv.config({ quiet: true });
  const config = parseConfig(process.env);
  const logger = createLogger(config.logLevel, [config.botToken]);
  process.on('uncaughtException', (error) => crash(logger, error));
  process.on('unhandledRejection', (error) => crash(logger, error));

  const loadStarted = performance.now();
  const { corpus, index } = await openIndex(config.dataDir, logger, {
    cacheDir: config.indexCacheDir,
    onProgress: process.stderr.isTTY ? createProgressBar('indexing') : undefined,
  });
  const holder: IndexHolder = { current: { corpus, index, loadedAt: new Date(), loadMs: performance.now() - loadStarted } };
  // What /reload runs: the new index is built on a worker thread, so the bot keeps answering
  // meanwhile, and swapped in only once it loaded.
  const reload = async (): Promise<LoadedIndex> => {
    const reloadStarted = performance.now();
    const { corpus, index } = await openIndexInWorker(config.dataDir, logger, { cacheDir: config.indexCacheDir, secrets: [config.botToken] });
    return { corpus, index, loadedAt: new Date(), loadMs: performance.now() - reloadStarted };
  };

  if (!config.botToken) {
    if (process.stdin.isTTY && process.stdout.isTTY) {
      await runConsoleChat(holder.current.index);
      return 0;
    }
    process.stderr.write(
      'BOT_TOKEN is not set. Get a token from @BotFather and set BOT_TOKEN in the environment or in .env ' +
        '(see .env.example). In an interactive terminal, npm start without a token opens a console chat.\n',
    );
    return 1;
  }

  // Long polling can deliver an update again after a crash; webhook instances keep no state.
  const journal = !config.webhook && config.stateDir ? openUpdateJournal(config.stateDir, botIdOf(config.botToken), logger) : null;
  const bot = createBot(config.botToken, {
    holder,
    logger,
    apiRoot: config.apiRoot,
    allowedChatIds: config.allowedChatIds,
    userRateLimit: config.userRateLimit,
    journal,
    adminIds: config.adminIds,
    reload,
    dataDir: config.dataDir,
  });
  let stopping = false;
  let stopServing: () => Promise<void> = async () => undefined;
  let polling: Polling | null = null;
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    stopping = true;
    // In-flight updates get DRAIN_MS to finish; after that the process exits anyway.
    setTimeout(() => {
      logger.warn({ ms: DRAIN_MS }, 'updates still in flight at shutdown; exiting');
      void exitAfterLogs(0);
    }, DRAIN_MS).unref();
    if (polling?.isRunning() || config.webhook) return void stopServing();
    // Still starting (getMe, command menus): polling has not begun, so no update is in hand and
    // there is nothing to finish.
    logger.info('bot stopped');
    void exitAfterLogs(0);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  await bot.init();
  await registerCommands(bot.api);
  await setAdminMenus(bot.api, config.adminIds, logger);
  // performance.now() counts from process start: the time from `npm start` to serving.
  const started = (mode: string) => logger.info({ username: bot.botInfo.username, mode, readyMs: Math.round(performance.now()) }, 'bot started');

  if (config.webhook) {
    const { url, secret, port } = config.webhook;
    const server = createWebhookServer(bot, {
      path: new URL(url).pathname,
      secret,
      logger,
      health: () => ({ passages: holder.current.corpus.passages.length }),
    });
    await new Promise<void>((resolve) => server.listen(port, resolve));
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    started('webhook');
    await new Promise<void>((resolve) => {
      stopServing = async () => {
        server.close(() => resolve());
        server.closeIdleConnections();
      };
      if (stopping) void stopServing();
    });
    logger.info('bot stopped');
    return 0;
  }

  // Long polling (it deletes a webhook left from webhook mode first). polling.done settles before
  // stop() has confirmed the handled updates with its last getUpdates call; exiting then would
  // have them delivered again, so shutdown waits for stop() too.
  polling = startPolling(bot, { allowedUpdates: ALLOWED_UPDATES, logger, onStart: () => started('polling') });
  let stopped: Promise<void> = Promise.resolve();
  stopServing = () => (stopped = polling!.stop());
  try {
    await polling.done;
  } catch (error) {
    if (!stopping) throw error;
  }
  await stopped.catch((error: unknown) => logger.warn({ err: error }, 'could not confirm the handled updates at shutdown'));
  logger.info('bot stopped');
  return 0;
}

/** The bot's id: the digits before the token's colon (public, unlike the rest of the token). */
function botIdOf(token: string): number {
  return Number(token.split(':')[0]);
}

/**
 * Exits once the log lines so far are written (a slow reader of standard error gets 2 s): exiting
 * at once would cut off a write in progress, and the lines behind it.
 */
async function exitAfterLogs(code: number): Promise<never> {
  await flushLogs();
  process.exit(code);
}

/** Logs (token scrubbed, like every log line) and exits 1; the exit handler writes what is held back. */
function crash(logger: Logger, error: unknown): never {
  logger.fatal({ error: error instanceof Error ? error.stack : String(error) }, 'crashed');
  process.exit(1);
}

main().then(
  (code) => exitAfterLogs(code),
  (error: unknown) => {
    // The logger may not exist yet, and a token pasted into DATA_DIR is in the corpus error's
    // message: everything written here is scrubbed too.
    const write = (text: string) => process.stderr.write(redact(text, [process.env.BOT_TOKEN]));
    if (error instanceof ConfigError || error instanceof CorpusError) {
      write(`${error.message}\n`);
    } else if (error instanceof GrammyError && error.error_code === 401) {
      write('Telegram refused BOT_TOKEN (401 Unauthorized): copy the token again from @BotFather.\n');
    } else {
      write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return exitAfterLogs(1);
  },
);

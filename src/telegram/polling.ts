import { BotError, Context, GrammyError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';

/** Long-polling wait per getUpdates call, in seconds (grammY's default). */
const POLL_TIMEOUT_SECONDS = 30;
/** Wait before asking again after a failed getUpdates (grammY's), unless Telegram says how long. */
const RETRY_MS = 3_000;

/** Long polling that is running, and how to stop it. */
export interface Polling {
  /** Settles when polling has ended: after stop() and the batch in hand, or on a fatal error (401, 409). */
  readonly done: Promise<void>;
  isRunning(): boolean;
  /**
   * Stops asking for updates, waits for the batch in hand to be handled, and confirms it to
   * Telegram, so a restart does not receive it again.
   */
  stop(): Promise<void>;
}

export interface PollingOptions {
  allowedUpdates: readonly string[];
  /** Called once polling begins (after the webhook, if any, is deleted). */
  onStart?: () => void;
}

/**
 * Long polling with grammY's delivery guarantee but not its queue: grammY's bot.start() handles
 * the updates of a batch one at a time, so with a network round trip of 50 ms to Telegram a bot
 * answers about 18 updates a second and a burst waits in line. Here the updates of a batch are
 * handled at once across chats, in order within a chat (and within a user's inline queries), and
 * the next batch — which confirms this one — is asked for only once all of it is handled.
 */
export function startPolling<C extends Context>(bot: Bot<C>, options: PollingOptions): Polling {
  let running = true;
  const abort = new AbortController();
  // grammY types its signal parameter with the abort-controller package's AbortSignal; Node's is the same thing.
  const signal = abort.signal as Parameters<typeof bot.api.getUpdates>[1];
  /** The next update id to ask for: every update before it is handled. 0 until the first batch. */
  let offset = 0;

  const poll = async () => {
    await bot.init();
    // Telegram refuses getUpdates while a webhook is set (one left from webhook mode, say).
    for (let deleted = false; !deleted && running; ) {
      try {
        await bot.api.deleteWebhook({}, signal);
        deleted = true;
      } catch (error) {
        if (running) await waitToRetry(error, abort.signal);
      }
    }
    if (!running) return;
    options.onStart?.();
    // Telegram keeps allowed_updates from the last call that gave it.
    let allowedUpdates: readonly string[] | undefined = options.allowedUpdates;
    while (running) {
      let updates: Update[];
      try {
        updates = await bot.api.getUpdates(
          { offset, timeout: POLL_TIMEOUT_SECONDS, ...(allowedUpdates ? { allowed_updates: allowedUpdates as never } : {}) },
          signal,
        );
      } catch (error) {
        if (!running) break;
        await waitToRetry(error, abort.signal);
        continue;
      }
      allowedUpdates = undefined;
      if (updates.length === 0) continue;
      await handleBatch(bot, updates);
      offset = updates[updates.length - 1]!.update_id + 1;
    }
  };
  const done = poll().finally(() => {
    running = false;
  });
  // stop() may come while init or deleteWebhook is still under way: that cancelled call is no failure.
  const settled = done.catch((error: unknown) => {
    if (abort.signal.aborted) return;
    throw error;
  });

  return {
    done: settled,
    isRunning: () => running,
    async stop() {
      if (!running) return settled;
      running = false;
      abort.abort();
      await settled;
      if (offset > 0) await bot.api.getUpdates({ offset, limit: 1, timeout: 0 });
    },
  };
}

/** Handles one batch: chats at once, each chat's updates in order. Failures are reported by the bot's error boundary (bot.catch as a backstop). */
async function handleBatch<C extends Context>(bot: Bot<C>, updates: Update[]): Promise<void> {
  const queues = new Map<string, Update[]>();
  for (const update of updates) {
    const key = queueKey(new Context(update, bot.api, bot.botInfo));
    const queue = queues.get(key);
    if (queue) queue.push(update);
    else queues.set(key, [update]);
  }
  await Promise.all(
    [...queues.values()].map(async (queue) => {
      for (const update of queue) {
        try {
          await bot.handleUpdate(update);
        } catch (error) {
          if (!(error instanceof BotError)) throw error;
          await bot.errorHandler(error);
        }
      }
    }),
  );
}

/** Which updates must be handled in order: those of one chat, or of one user where there is no chat (inline queries). */
function queueKey(ctx: Context): string {
  if (ctx.chat) return `chat:${ctx.chat.id}`;
  if (ctx.from) return `user:${ctx.from.id}`;
  return 'other';
}

/**
 * Waits as grammY does before asking again (cut short by stopping); 401 (token revoked) and 409
 * (another instance polls) end polling.
 */
async function waitToRetry(error: unknown, signal: AbortSignal): Promise<void> {
  let ms = RETRY_MS;
  if (error instanceof GrammyError) {
    if (error.error_code === 401 || error.error_code === 409) throw error;
    if (error.error_code === 429 && error.parameters.retry_after) ms = error.parameters.retry_after * 1000;
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

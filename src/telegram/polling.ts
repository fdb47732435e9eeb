import { BotError, Context, GrammyError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../logger.ts';
import { backoffMs } from './backoff.ts';
import { UnconfirmedUpdates } from './unconfirmed-updates.ts';

/** Long-polling wait per getUpdates call, in seconds (grammY's default). */
const POLL_TIMEOUT_SECONDS = 30;
/** Updates per getUpdates call (Telegram's maximum); also the most that can be in hand at once. */
const BATCH_LIMIT = 100;
/**
 * How often to ask for new updates while some are still being handled (a chat waits out a flood
 * limit, say): Telegram answers at once then, sending the unconfirmed ones again, so there is no
 * long poll to wait in; each such call re-sends up to 100 updates, so not more often.
 */
export const BUSY_POLL_MS = 500;

/** Long polling that is running, and how to stop it. */
export interface Polling {
  /** Settles when polling has ended: after stop() and the updates in hand, or on a fatal error (401, 409). */
  readonly done: Promise<void>;
  isRunning(): boolean;
  /**
   * Stops asking for updates, waits for the updates in hand to be handled, and confirms them to
   * Telegram, so a restart does not receive them again.
   */
  stop(): Promise<void>;
}

export interface PollingOptions {
  allowedUpdates: readonly string[];
  /** Called once polling begins (after the webhook, if any, is deleted). */
  onStart?: () => void;
  /** For malformed updates, a restarted id sequence and failing getUpdates calls. */
  logger?: Logger;
}

/**
 * Long polling that serves every chat at once and never confirms an update before it is handled.
 * Updates are handled concurrently across chats and in order within a chat (and within a user's
 * inline queries); new updates are fetched while a slow chat waits, so one chat's flood limit or
 * retries hold only that chat. Telegram confirms everything below a getUpdates offset, so the
 * offset stops at the lowest update still in hand: an update in hand when the process dies is
 * delivered again (nothing lost), and one handled but not yet confirmed is skipped by the update
 * journal. Neither grammY's bot.start() (one update at a time) nor @grammyjs/runner (confirms a
 * batch as soon as it is fetched, so a crash loses what was in hand) does both.
 */
export function startPolling<C extends Context>(bot: Bot<C>, options: PollingOptions): Polling {
  let running = true;
  const abort = new AbortController();
  // grammY types its signal parameter with the abort-controller package's AbortSignal; Node's is the same thing.
  const signal = abort.signal as Parameters<typeof bot.api.getUpdates>[1];
  const unconfirmed = new UnconfirmedUpdates();
  /** The last update queued for each chat (or inline user): the next one of that chat waits for it. */
  const chatQueues = new Map<string, Promise<void>>();
  let wake: (() => void) | null = null;
  let failFatally: (error: unknown) => void = () => undefined;
  const fatal = new Promise<never>((_, reject) => {
    failFatally = reject;
  });
  // A fatal error surfaces through `done`; until something awaits it, it is no unhandled rejection.
  fatal.catch(() => undefined);

  const handle = async (update: Update) => {
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      if (!(error instanceof BotError)) throw error;
      await bot.errorHandler(error);
    }
  };

  const dispatch = (update: Update) => {
    const key = queueKey(new Context(update, bot.api, bot.botInfo));
    const queued = (chatQueues.get(key) ?? Promise.resolve())
      .then(() => handle(update))
      .then(
        () => {
          unconfirmed.finish(update.update_id);
          // all handled: the next getUpdates confirms them all and long-polls again
          if (unconfirmed.pending === 0) wake?.();
        },
        // An error bot.catch did not take (or threw itself): the update stays unconfirmed, polling ends.
        (error: unknown) => failFatally(error),
      )
      .finally(() => {
        if (chatQueues.get(key) === queued) chatQueues.delete(key);
      });
    chatQueues.set(key, queued);
  };

  /** Waits up to `ms` for every update in hand to be handled (or for stop()). */
  const waitForProgress = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      abort.signal.addEventListener('abort', done, { once: true });
      wake = done;
      function done() {
        clearTimeout(timer);
        abort.signal.removeEventListener('abort', done);
        wake = null;
        resolve();
      }
    });

  const poll = async () => {
    await bot.init();
    // Telegram refuses getUpdates while a webhook is set (one left from webhook mode, say).
    for (let deleted = false, failures = 0; !deleted && running; ) {
      try {
        await bot.api.deleteWebhook({}, signal);
        deleted = true;
      } catch (error) {
        if (running) await sleep(retryDelayMs(error, failures++), abort.signal);
      }
    }
    if (!running) return;
    options.onStart?.();
    // Telegram keeps allowed_updates from the last call that gave it.
    let allowedUpdates: readonly string[] | undefined = options.allowedUpdates;
    let failures = 0;
    let malformedInARow = 0;
    while (running) {
      const offset = unconfirmed.offset;
      // With updates in hand Telegram answers at once (it sends them again), so a long poll would not wait.
      const timeout = unconfirmed.pending > 0 ? 0 : POLL_TIMEOUT_SECONDS;
      let batch: unknown;
      try {
        batch = await bot.api.getUpdates(
          { offset, limit: BATCH_LIMIT, timeout, ...(allowedUpdates ? { allowed_updates: allowedUpdates as never } : {}) },
          signal,
        );
        // Not a list: nothing to count ids by, so a failure (asked again, nothing confirmed), not updates.
        if (!Array.isArray(batch)) throw new Error(`getUpdates returned ${typeof batch}, not a list`);
      } catch (error) {
        if (!running) break;
        const ms = retryDelayMs(error, failures++);
        options.logger?.debug({ failures, retryInMs: ms }, 'getUpdates failed; asking again');
        await sleep(ms, abort.signal);
        continue;
      }
      failures = 0;
      allowedUpdates = undefined;
      unconfirmed.confirm(offset);
      const { fresh, malformed, restarted } = unconfirmed.admit(batch, offset);
      if (restarted) options.logger?.warn({ offset, first: fresh[0]?.update_id }, 'update ids started again below the offset; following the new sequence');
      for (const update of fresh) dispatch(update);
      if (malformed.length > 0) {
        // warned once per run of such answers; a server that keeps sending one would fill the log
        const level = malformedInARow === 0 ? 'warn' : 'debug';
        options.logger?.[level]({ count: malformed.length, keys: malformed.slice(0, 3).map(keysOf) }, 'getUpdates returned updates without an update_id; skipped');
        // A server that keeps sending them is asked again at the failure pace, never in a tight loop.
        if (fresh.length === 0) await sleep(retryDelayMs(null, malformedInARow), abort.signal);
        malformedInARow += 1;
      } else {
        malformedInARow = 0;
      }
      // Telegram would answer at once with the updates in hand, so ask again only when all are
      // handled (as a batch-at-a-time loop would) or, for other chats' new updates, every BUSY_POLL_MS.
      if (unconfirmed.pending > 0) await waitForProgress(BUSY_POLL_MS);
    }
  };

  const done = Promise.race([poll(), fatal]).finally(() => {
    running = false;
  });
  // stop() may come while init or deleteWebhook is still under way: that cancelled call is no failure.
  const settled = done.catch((error: unknown) => {
    if (abort.signal.aborted) return;
    throw error;
  });
  let stopped: Promise<void> | null = null;

  return {
    done: settled,
    isRunning: () => running,
    stop() {
      if (!running && !abort.signal.aborted) return settled;
      running = false;
      abort.abort();
      stopped ??= (async () => {
        await settled;
        await Promise.race([Promise.all(chatQueues.values()), fatal]);
        const offset = unconfirmed.offset;
        if (offset > 0) await bot.api.getUpdates({ offset, limit: 1, timeout: 0 });
      })();
      return stopped;
    },
  };
}

/**
 * How long to wait before asking again after `failures` failed getUpdates calls in a row: what a
 * 429 says, else backoffMs — short, so that updates flow again within seconds of an outage ending. 401 (token revoked) and 409 (another instance polls) are
 * fatal: thrown. Pure.
 */
export function retryDelayMs(error: unknown, failures: number): number {
  if (error instanceof GrammyError) {
    if (error.error_code === 401 || error.error_code === 409) throw error;
    if (error.error_code === 429 && error.parameters.retry_after) return error.parameters.retry_after * 1000;
  }
  return backoffMs(failures);
}

/** Which updates must be handled in order: those of one chat, or of one user where there is no chat (inline queries). */
function queueKey(ctx: Context): string {
  if (ctx.chat) return `chat:${ctx.chat.id}`;
  if (ctx.from) return `user:${ctx.from.id}`;
  return 'other';
}

/** The field names of a malformed update, for the log (never its content). */
function keysOf(update: unknown): string {
  return typeof update === 'object' && update !== null ? Object.keys(update).slice(0, 5).join(',') : typeof update;
}

/** Waits `ms`, cut short by `signal`. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

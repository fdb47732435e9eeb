import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, BotError, GrammyError, HttpError, type Api, type Transformer } from 'grammy';
import { backoffMs } from './backoff.ts';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from '../logger.ts';
import type { BotContext, IndexHolder, LoadedIndex } from './context.ts';
import { createAdminFeature } from './features/admin.ts';
import { createGroupFeature } from './features/group.ts';
import { createHelpFeature } from './features/help.ts';
import { createInlineFeature } from './features/inline.ts';
import { createPagingFeature } from './features/paging.ts';
import { createPrivateFeature } from './features/private.ts';
import { createGuardFeature } from './features/guard.ts';
import { createUploadFeature } from './features/upload.ts';
import { downloadFile } from './download.ts';
import { Reindexer } from './reindex.ts';
import { format, uiLangOf } from './i18n.ts';
import { htmlToPlainText } from './render/html.ts';
import { Incident } from './incident.ts';
import { sanitizeOutgoing, shortenTooLong } from './outgoing.ts';
import { BotStats } from './stats.ts';
import type { UpdateJournal } from './update-journal.ts';

/** What the bot needs from the rest of the program. */
export interface BotOptions {
  /** The corpus and index to answer from; /reload replaces `holder.current`. */
  holder: IndexHolder;
  logger: Logger;
  /** Bot API server; the emulator in tests. */
  apiRoot: string;
  /** Known bot identity, to skip getMe (tests). */
  botInfo?: UserFromGetMe;
  /** Chats the bot serves (ALLOWED_CHAT_IDS); null or absent serves everyone. */
  allowedChatIds?: ReadonlySet<number> | null;
  /** Questions per user per minute (RATE_LIMIT_PER_MINUTE); 0 or absent: no limit. */
  userRateLimit?: number;
  /** Updates already handled, skipped when Telegram delivers them again (long polling). */
  journal?: UpdateJournal | null;
  /** ADMIN_IDS: users who may use /stats and /reload (always served, whatever ALLOWED_CHAT_IDS says). */
  adminIds?: ReadonlySet<number>;
  /** Loads the data folder again, for /reload and uploads. */
  reload?: () => Promise<LoadedIndex>;
  /** DATA_DIR, where admins' uploaded documents are stored; absent: uploads are refused. */
  dataDir?: string;
  /** Counters for /stats; a fresh set when absent. */
  stats?: BotStats;
}

/** Update types the bot handles: also what it asks Telegram for. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query'] as const;

/**
 * Creates the bot: answers questions in private chats, /ask and replies in groups, inline
 * queries, and paging buttons, all through the shared answer pipeline. A failing update is
 * logged and answered with an apology; it never stops the bot.
 */
export function createBot(token: string, options: BotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(token, {
    client: { apiRoot: options.apiRoot },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  // Installed first, innermost: each attempt gets its own time limit, and autoRetry retries a timed-out one.
  bot.api.config.use(abandonSlowCalls());
  // Sees every attempt that autoRetry (installed after it) makes.
  bot.api.config.use(logFailedCalls(options.logger));
  // Dropped connections and time-outs: retried on a short, capped schedule until Telegram is back.
  bot.api.config.use(retryNetworkErrors());
  // 429 and 5xx are retried (after retry_after); 30 s is as long as a chat should wait for an answer.
  // Network errors are left to retryNetworkErrors: autoRetry's back-off for them doubles without a
  // useful cap (3, 6, 12, 24 s… up to an hour), so a 25 s outage cost 45 s. Not getUpdates at all:
  // long polling retries it on its own schedule.
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowHttpErrors: true });
  bot.api.config.use((prev, method, payload, signal) => (method === 'getUpdates' ? prev(method, payload, signal) : retry(prev, method, payload, signal)));
  bot.api.config.use(resendAsPlainText(options.logger));
  bot.api.config.use(shortenTooLong(options.logger));
  // Outermost: every attempt, retry and resend gets the cleaned payload.
  bot.api.config.use(sanitizeOutgoing(token));

  const stats = options.stats ?? new BotStats();
  const adminIds = options.adminIds ?? new Set<number>();
  const reportFailure = reportFailedUpdate(options.logger);
  // An error boundary, not bot.catch alone: bot.catch only sees errors of bot.start()'s polling,
  // while webhookCallback hands them to the HTTP server, whose 500 makes Telegram send the update
  // again and again. Inside the boundary both modes log, apologise and carry on the same way.
  const guarded = bot.errorBoundary(reportFailure);
  guarded.use((ctx, next) => {
    // Read once per update: a reload meanwhile does not mix two indexes in one answer.
    const { corpus, index } = options.holder.current;
    ctx.corpus = corpus;
    ctx.index = index;
    ctx.logger = options.logger.child({ update_id: ctx.update.update_id });
    ctx.lang = uiLangOf(ctx.from?.language_code);
    ctx.stats = stats;
    return next();
  });
  if (options.journal) guarded.use(skipHandledUpdates(options.journal));
  guarded.use((ctx, next) => {
    stats.countUpdate();
    return next();
  });
  const allowed = options.allowedChatIds ? new Set([...options.allowedChatIds, ...adminIds]) : null;
  guarded.use(createGuardFeature(allowed, options.userRateLimit ?? 0));
  // /reload and uploads share it: one reindex at a time.
  const reindexer = new Reindexer(options.holder, options.reload ?? (() => Promise.reject(new Error('reloading is not available here'))), options.logger);
  guarded.use(createAdminFeature({ adminIds, holder: options.holder, stats, reindexer }));
  guarded.use(
    createUploadFeature({
      adminIds,
      dataDir: options.dataDir ?? '',
      reindexer,
      download: (filePath) => downloadFile(options.apiRoot, token, filePath),
    }),
  );
  guarded.use(createHelpFeature(), createGroupFeature(), createPrivateFeature(), createPagingFeature(), createInlineFeature());
  // Nothing escapes the boundary today; should something, it is reported the same way.
  bot.catch(reportFailure);
  return bot;
}

/**
 * What happens to an update whose handling failed, in polling and webhook mode alike: a chat the
 * bot cannot reach (blocked, removed, gone) is logged at info with nobody to apologise to; any
 * other failure is logged as an error and the user gets an apology where there is someone to tell.
 */
function reportFailedUpdate(logger: Logger) {
  return async (error: BotError<BotContext>): Promise<void> => {
    const ctx = error.ctx;
    const cause = error.error;
    // Set by the first middleware; a failure before it still gets the update id.
    const log = ctx.logger ?? logger.child({ update_id: ctx.update.update_id });
    if (isChatUnreachable(cause)) {
      log.info({ chat: ctx.chat?.id, description: cause.description }, 'chat unreachable');
      return;
    }
    const detail =
      cause instanceof GrammyError
        ? { method: cause.method, error_code: cause.error_code, description: cause.description }
        : cause instanceof HttpError
          ? { http: cause.message }
          : { error: cause instanceof Error ? cause.message : String(cause), stack: cause instanceof Error ? cause.stack : undefined };
    log.error(detail, 'update failed');
    await apologize(ctx).catch((sendError: unknown) => log.warn({ error: (sendError as Error).message }, 'apology not sent'));
  };
}

/**
 * 403 (blocked by the user, removed from the group, user deactivated) or 400 "chat not found":
 * the chat is gone for the bot, an apology would fail the same way, and there is nothing to fix.
 */
function isChatUnreachable(cause: unknown): cause is GrammyError {
  return cause instanceof GrammyError && (cause.error_code === 403 || (cause.error_code === 400 && /chat not found/i.test(cause.description)));
}

/**
 * Skips an update the journal has seen, and records each update once handled (answered or failed
 * and apologised for: either way it must not be answered again).
 */
function skipHandledUpdates(journal: UpdateJournal) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    if (journal.has(ctx.update)) {
      ctx.logger.debug('update already handled; skipped');
      return;
    }
    try {
      await next();
    } finally {
      journal.record(ctx.update);
    }
  };
}

/**
 * Sends a message again, once, as plain text when Telegram rejects its formatting ("can't parse
 * entities"): the reader gets the passage without bold rather than nothing.
 */
function resendAsPlainText(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    const p = payload as { parse_mode?: string; text?: string };
    const rejected = !result.ok && result.error_code === 400 && /can't parse entities/i.test(result.description);
    if (!rejected || !p.parse_mode || typeof p.text !== 'string' || (method !== 'sendMessage' && method !== 'editMessageText')) {
      return result;
    }
    logger.warn({ method, description: result.description }, 'formatting rejected; sending as plain text');
    const { parse_mode: _dropped, ...rest } = payload as Record<string, unknown>;
    return prev(method, { ...rest, text: htmlToPlainText(p.text) } as typeof payload, signal);
  };
}

/** Seconds a Bot API call may take before it is abandoned (and retried); a long poll gets its own timeout on top. */
export const CALL_TIMEOUT_SECONDS = 10;

/**
 * Gives every Bot API call a time limit. grammY's own client timeout is one number for all calls
 * (500 s by default) and must exceed the long poll; a call Telegram never answers would hold the
 * update (and its chat, and the confirmation of its batch) for that long.
 */
function abandonSlowCalls(): Transformer {
  return async (prev, method, payload, signal) => {
    const longPollSeconds = method === 'getUpdates' ? Number((payload as { timeout?: number }).timeout ?? 0) : 0;
    // Not AbortSignal.any: grammY's signals come from its abort-controller shim, which it does not wire up.
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort);
    const timer = setTimeout(abort, (CALL_TIMEOUT_SECONDS + longPollSeconds) * 1000);
    try {
      // grammY types signals with its shim; it only listens for 'abort' on them.
      return await prev(method, payload, controller.signal as unknown as NonNullable<typeof signal>);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  };
}

/**
 * Retries a call whose connection failed (refused, reset, or abandoned after its time limit) after
 * backoffMs — 0.25 s doubling to 3 s — for as long as it keeps failing, so an update in hand
 * during an outage is answered within seconds of its end. getUpdates is long polling's to retry,
 * and a call cancelled on purpose (stopping) is not retried.
 */
function retryNetworkErrors(): Transformer {
  return async (prev, method, payload, signal) => {
    for (let failures = 0; ; failures++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || method === 'getUpdates' || signal?.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, backoffMs(failures)));
      }
    }
  };
}

/**
 * Logs failed Bot API attempts that autoRetry retries (network errors, time-outs, 429, 5xx) once
 * per incident: a warning when calls start failing, and an info line with the count when Telegram
 * answers normally again. Other errors reach the error boundary; calls cancelled on purpose (stopping)
 * are not failures.
 */
function logFailedCalls(logger: Logger): Transformer {
  const incident = new Incident();
  const failed = (detail: Record<string, unknown>) => {
    if (incident.fail()) logger.warn(detail, 'telegram calls failing; retrying');
    else logger.debug(detail, 'telegram call failed again');
  };
  return async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok && (result.error_code === 429 || result.error_code >= 500)) {
        failed({ method, error_code: result.error_code, retry_after: result.parameters?.retry_after });
      } else {
        const ended = incident.succeed();
        if (ended) logger.info(ended, 'telegram calls succeed again');
      }
      return result;
    } catch (error) {
      if (!signal?.aborted) failed({ method, error: (error as Error).message });
      throw error;
    }
  };
}

/** Tells the user their request failed, where there is someone to tell. */
async function apologize(ctx: BotContext): Promise<void> {
  const lang = ctx.lang ?? uiLangOf(ctx.from?.language_code);
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: format(lang, 'apology') });
  } else if (ctx.message && (ctx.chat?.type === 'private' || (ctx.message.text ?? ctx.message.caption)?.startsWith('/'))) {
    await ctx.reply(format(lang, 'apology'), {
      reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true },
    });
  }
}

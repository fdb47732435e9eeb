import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, GrammyError, HttpError, type Api, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Corpus } from '../corpus/load.ts';
import type { Logger } from '../logger.ts';
import type { SearchIndex } from '../search/search-index.ts';
import type { BotContext } from './context.ts';
import { createGroupFeature } from './features/group.ts';
import { createHelpFeature } from './features/help.ts';
import { createInlineFeature } from './features/inline.ts';
import { createPagingFeature } from './features/paging.ts';
import { createPrivateFeature } from './features/private.ts';
import { createGuardFeature } from './features/guard.ts';
import { format, STRINGS, uiLangOf, type UiLang } from './i18n.ts';
import { htmlToPlainText } from './render/html.ts';
import type { UpdateJournal } from './update-journal.ts';

/** What the bot needs from the rest of the program. */
export interface BotOptions {
  corpus: Corpus;
  index: SearchIndex;
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
  // Installed first, so it sees every attempt that autoRetry (installed after it) makes.
  bot.api.config.use(logFailedCalls(options.logger));
  // 429 and 5xx are retried (after retry_after); 30 s is as long as a chat should wait for an answer.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  bot.api.config.use(resendAsPlainText(options.logger));

  bot.use((ctx, next) => {
    ctx.corpus = options.corpus;
    ctx.index = options.index;
    ctx.logger = options.logger.child({ update_id: ctx.update.update_id });
    ctx.lang = uiLangOf(ctx.from?.language_code);
    return next();
  });
  if (options.journal) bot.use(skipHandledUpdates(options.journal));
  bot.use(createGuardFeature(options.allowedChatIds ?? null, options.userRateLimit ?? 0));
  bot.use(createHelpFeature(), createGroupFeature(), createPrivateFeature(), createPagingFeature(), createInlineFeature());

  bot.catch(async (error) => {
    const ctx = error.ctx;
    const cause = error.error;
    const detail =
      cause instanceof GrammyError
        ? { method: cause.method, error_code: cause.error_code, description: cause.description }
        : cause instanceof HttpError
          ? { http: cause.message }
          : { error: cause instanceof Error ? cause.message : String(cause), stack: cause instanceof Error ? cause.stack : undefined };
    if (cause instanceof GrammyError && cause.error_code === 403) {
      // Blocked by the user, or removed from the group: nobody to apologise to, nothing to fix.
      ctx.logger.info({ chat: ctx.chat?.id, description: cause.description }, 'chat unreachable');
      return;
    }
    ctx.logger.error(detail, 'update failed');
    await apologize(ctx).catch((sendError: unknown) =>
      ctx.logger.warn({ error: (sendError as Error).message }, 'apology not sent'),
    );
  });
  return bot;
}

/**
 * Skips an update the journal has seen, and records each update once handled (answered or failed
 * and apologised for: either way it must not be answered again).
 */
function skipHandledUpdates(journal: UpdateJournal) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const id = ctx.update.update_id;
    if (journal.has(id)) {
      ctx.logger.debug('update already handled; skipped');
      return;
    }
    try {
      await next();
    } finally {
      journal.record(id);
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

/**
 * Logs each failed Bot API attempt that autoRetry retries (network errors, 429, 5xx) at warn, so an
 * unreachable or overloaded Telegram shows in the logs instead of as silence. Other errors reach
 * `bot.catch`; calls cancelled on purpose (stopping) are not failures.
 */
function logFailedCalls(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok && (result.error_code === 429 || result.error_code >= 500)) {
        logger.warn({ method, error_code: result.error_code, retry_after: result.parameters?.retry_after }, 'telegram call failed');
      }
      return result;
    } catch (error) {
      if (!signal?.aborted) logger.warn({ method, error: (error as Error).message }, 'telegram call failed');
      throw error;
    }
  };
}

/** Tells the user their request failed, where there is someone to tell. */
async function apologize(ctx: BotContext): Promise<void> {
  const lang = ctx.lang ?? uiLangOf(ctx.from?.language_code);
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: format(lang, 'apology') });
  } else if (ctx.message && (ctx.chat?.type === 'private' || ctx.message.text?.startsWith('/'))) {
    await ctx.reply(format(lang, 'apology'), {
      reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true },
    });
  }
}

/** Registers the command menus, in English and Chinese, for private chats and for groups. */
export async function registerCommands(api: Api): Promise<void> {
  for (const lang of ['en', 'zh'] as UiLang[]) {
    const s = STRINGS[lang];
    const language_code = lang === 'zh' ? 'zh' : undefined;
    await api.setMyCommands(
      [
        { command: 'start', description: s.commandStart },
        { command: 'help', description: s.commandHelp },
        { command: 'sources', description: s.commandSources },
      ],
      { scope: { type: 'all_private_chats' }, language_code },
    );
    await api.setMyCommands(
      [
        { command: 'ask', description: s.commandAsk },
        { command: 'help', description: s.commandHelp },
        { command: 'sources', description: s.commandSources },
      ],
      { scope: { type: 'all_group_chats' }, language_code },
    );
  }
}

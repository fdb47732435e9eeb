import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { format } from '../i18n.ts';
import { textOf } from './answer.ts';
import { CHAT_LIMIT, RateLimiter, type Verdict } from '../rate-limit.ts';

/**
 * Runs before every feature: drops updates from chats outside ALLOWED_CHAT_IDS, and rate-limits
 * what the bot would answer, per user and per group. A flooding user gets one "slow down" and
 * then silence until the window ends; other users are unaffected. The log gets as little: one
 * "rate limited" line per user (or group) and window, then "rate limit window over" with the count
 * of refused requests, reported with the first update after the window — a flood of N messages
 * costs two lines, not N. /stats counts every refused update.
 */
export function createGuardFeature(allowedChatIds: ReadonlySet<number> | null, perUserPerMinute: number): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const users = perUserPerMinute > 0 ? new RateLimiter<number>({ requests: perUserPerMinute, windowMs: 60_000 }) : null;
  const chats = new RateLimiter<number>(CHAT_LIMIT);

  composer.use(async (ctx, next) => {
    for (const { key, refused } of users?.endedFloods() ?? []) ctx.logger.info({ user: key, refused }, 'rate limit window over');
    for (const { key, refused } of chats.endedFloods()) ctx.logger.info({ chat: key, refused }, 'rate limit window over');
    // Inline queries have no chat: the user's private chat id (= user id) decides.
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    if (allowedChatIds && (chatId === undefined || !allowedChatIds.has(chatId))) {
      ctx.logger.debug({ chat: chatId }, 'update from a chat not in ALLOWED_CHAT_IDS dropped');
      return;
    }
    if (!wouldAnswer(ctx) || !ctx.from) return next();
    const user = users?.check(ctx.from.id) ?? 'serve';
    // The group's budget is spent only on what the user's own limit lets through: a flooder's refused
    // messages must not use it up (nor its one "slow down"), or the rest of the group goes unanswered.
    const chat = user === 'serve' && ctx.chat && ctx.chat.type !== 'private' ? chats.check(ctx.chat.id) : 'serve';
    // 'warn' comes once per key and window: the first refusal is logged, the rest only counted.
    if (user === 'warn') ctx.logger.info({ user: ctx.from.id, chat: ctx.chat?.id, limit: 'user' }, 'rate limited');
    if (chat === 'warn') ctx.logger.info({ user: ctx.from.id, chat: ctx.chat?.id, limit: 'chat' }, 'rate limited');
    const verdict: Verdict = user === 'serve' ? chat : user;
    if (verdict === 'serve') return next();
    ctx.stats.countRateLimited();
    if (verdict === 'drop') return;
    if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 5, is_personal: true });
    else if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: format(ctx.lang, 'slowDown') });
    else await ctx.reply(format(ctx.lang, 'slowDown'));
  });
  return composer;
}

/** Updates the bot acts on: everything in private chats and inline; in groups, commands and replies to it. */
function wouldAnswer(ctx: BotContext): boolean {
  if (ctx.inlineQuery || ctx.callbackQuery || ctx.chat?.type === 'private') return true;
  const message = ctx.message;
  return !!message && (textOf(message).startsWith('/') || message.reply_to_message?.from?.id === ctx.me.id);
}

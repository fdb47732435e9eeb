import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { format } from '../i18n.ts';
import { textOf } from './answer.ts';
import { CHAT_LIMIT, RateLimiter, type Verdict } from '../rate-limit.ts';

/**
 * Runs before every feature: drops updates from chats outside ALLOWED_CHAT_IDS, and rate-limits
 * what the bot would answer, per user and per group. A flooding user gets one "slow down" and
 * then silence until the window ends; other users are unaffected.
 */
export function createGuardFeature(allowedChatIds: ReadonlySet<number> | null, perUserPerMinute: number): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const users = perUserPerMinute > 0 ? new RateLimiter({ requests: perUserPerMinute, windowMs: 60_000 }) : null;
  const chats = new RateLimiter(CHAT_LIMIT);

  composer.use(async (ctx, next) => {
    // Inline queries have no chat: the user's private chat id (= user id) decides.
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    if (allowedChatIds && (chatId === undefined || !allowedChatIds.has(chatId))) {
      ctx.logger.debug({ chat: chatId }, 'update from a chat not in ALLOWED_CHAT_IDS dropped');
      return;
    }
    if (!wouldAnswer(ctx) || !ctx.from) return next();
    const user = users?.check(`u${ctx.from.id}`) ?? 'serve';
    const chat = ctx.chat && ctx.chat.type !== 'private' ? chats.check(`c${ctx.chat.id}`) : 'serve';
    const verdict: Verdict = user === 'serve' ? chat : user;
    if (verdict === 'serve') return next();
    ctx.logger.info({ user: ctx.from.id, chat: ctx.chat?.id, verdict }, 'rate limited');
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

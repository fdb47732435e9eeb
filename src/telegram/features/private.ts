import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';
import { format } from '../i18n.ts';
import { askInCaption, replyWithAnswer } from './answer.ts';

/**
 * Private chat: every text message is a question; an unknown command gets a pointer to /help.
 * A passage the user posts from inline mode comes back "via" the bot: it is not a question.
 */
export function createPrivateFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const chat = composer.chatType('private').drop((ctx) => ctx.msg?.via_bot?.id === ctx.me.id);
  // /ask works here as in groups, so the group habit does not meet "unknown command".
  chat.command('ask', (ctx) => (ctx.match.trim() ? replyWithAnswer(ctx, ctx.match, ctx.message) : ctx.reply(format(ctx.lang, 'askUsage'), { parse_mode: 'HTML' })));
  chat.on('message:text', async (ctx) => {
    const text = ctx.message.text;
    if (text.startsWith('/')) {
      await ctx.reply(format(ctx.lang, 'unknownCommand'));
      return;
    }
    await replyWithAnswer(ctx, text, ctx.message);
  });
  chat.on('message:caption', (ctx) => replyWithAnswer(ctx, askInCaption(ctx.message, ctx.me.username) ?? ctx.message.caption, ctx.message));
  return composer;
}

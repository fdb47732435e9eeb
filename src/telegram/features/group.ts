import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext } from '../context.ts';
import { format } from '../i18n.ts';
import { askInCaption, replyWithAnswer, stripCommand, textOf } from './answer.ts';

/**
 * Groups: quiet unless asked. `/ask question` (or `/ask@bot`; also as a photo's caption), `/ask`
 * as a reply to a message to look up that message's text (the answer replies to that message),
 * and a reply to one of the bot's answers as a new question (a text, or a photo or document with a
 * caption).
 * Everything else, including other bots' commands and service messages, gets no answer.
 */
export function createGroupFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const group = composer.chatType(['group', 'supergroup']);

  const answerAsk = async (ctx: BotContext & { message: Message }, asked: string) => {
    const lookedUp = asked ? undefined : ctx.message.reply_to_message;
    const question = asked || stripCommand(textOf(lookedUp));
    if (!question) {
      await ctx.reply(format(ctx.lang, 'askUsage'), {
        parse_mode: 'HTML',
        reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true },
      });
      return;
    }
    // "/ask" as a reply answers the message it looks up: the paging buttons re-read the question
    // from the message an answer replies to when the question is too long for their callback data.
    await replyWithAnswer(ctx, question, lookedUp ?? ctx.message);
  };
  group.command('ask', (ctx) => answerAsk(ctx, ctx.match.trim()));
  // A photo (or any media) captioned "/ask question".
  group.on('message:caption', async (ctx, next) => {
    const asked = askInCaption(ctx.message, ctx.me.username);
    if (asked === undefined) return next();
    await answerAsk(ctx, asked);
  });

  // A reply to one of the bot's answers, as text or as a captioned photo or document.
  group.on(['message:text', 'message:caption'], async (ctx, next) => {
    const question = textOf(ctx.message);
    const isReplyToBot = ctx.message.reply_to_message?.from?.id === ctx.me.id && !question.startsWith('/');
    if (!isReplyToBot) return next();
    await replyWithAnswer(ctx, question, ctx.message);
  });
  return composer;
}

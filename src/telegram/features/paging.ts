import { Composer } from 'grammy';
import { answerQuestion } from '../../answer.ts';
import type { BotContext } from '../context.ts';
import { format } from '../i18n.ts';
import { renderAnswerHtml } from '../render/answer.ts';
import { answerKeyboard, decodePageRequest } from '../render/keyboard.ts';
import { pageSizeFor, stripCommand, textOf } from './answer.ts';

/**
 * "More" and "Back" buttons: re-run the question for another page and edit the answer in place.
 * The question comes from the button itself or from the message the answer replies to, so the
 * buttons keep working after a restart.
 */
export function createPagingFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('callback_query:data', async (ctx, next) => {
    const request = decodePageRequest(ctx.callbackQuery.data);
    if (!request) return next();
    const message = ctx.callbackQuery.message;
    const asked = message && 'reply_to_message' in message ? message.reply_to_message : undefined;
    const question = request.question ?? stripCommand(textOf(asked));
    const pageSize = pageSizeFor(message?.chat.type);
    const answer = question ? answerQuestion(ctx.index, question, { limit: pageSize, offset: request.offset }) : undefined;
    if (!message || !answer || answer.hits.length === 0) {
      await ctx.answerCallbackQuery({ text: format(ctx.lang, 'expired') });
      return;
    }
    await ctx.editMessageText(renderAnswerHtml(answer, ctx.lang), {
      parse_mode: 'HTML',
      reply_markup: answerKeyboard(answer, pageSize, ctx.lang),
      link_preview_options: { is_disabled: true },
    });
    await ctx.answerCallbackQuery();
  });
  return composer;
}

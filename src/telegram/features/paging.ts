import { Composer, GrammyError } from 'grammy';
import { answerQuestion } from '../../answer.ts';
import type { BotContext } from '../context.ts';
import { format } from '../i18n.ts';
import { renderAnswerHtml } from '../render/answer.ts';
import { answerKeyboard, decodePageRequest } from '../render/keyboard.ts';
import { pageSizeFor, stripCommand, textOf } from './answer.ts';

/**
 * "More" and "Back" buttons: re-run the question for another page and edit the answer in place.
 * The question comes from the button itself or from the message the answer replies to, so the
 * buttons keep working after a restart. Any other button (an older format, another bot's message)
 * is answered with "expired", so the user's client stops waiting.
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
    await ctx
      .editMessageText(renderAnswerHtml(answer, ctx.lang), {
        parse_mode: 'HTML',
        reply_markup: answerKeyboard(answer, pageSize, ctx.lang),
        link_preview_options: { is_disabled: true },
      })
      .catch((error: unknown) => {
        if (!isNotModified(error)) throw error;
      });
    await ctx.answerCallbackQuery();
  });
  composer.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: format(ctx.lang, 'expired') }));
  return composer;
}

/**
 * Telegram refuses an edit that changes nothing, e.g. the second tap of a double tap on "More":
 * the page is already shown, so that is success. Only the description tells this 400 apart.
 */
function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && error.description.includes('message is not modified');
}

import type { Message } from 'grammy/types';
import { answerQuestion } from '../../answer.ts';
import type { BotContext } from '../context.ts';
import { renderAnswerHtml } from '../render/answer.ts';
import { answerKeyboard } from '../render/keyboard.ts';

/** Passages per page: a private chat has room for three, a group gets a compact two. */
export function pageSizeFor(chatType: string | undefined): number {
  return chatType === 'private' ? 3 : 2;
}

/**
 * Answers a question in the current chat, as a reply to `replyTo` (the asking message), in the
 * same forum topic. The shared answer pipeline and renderer do the work; this only sends.
 */
export async function replyWithAnswer(ctx: BotContext, question: string, replyTo: Message): Promise<void> {
  const pageSize = pageSizeFor(ctx.chat?.type);
  const started = performance.now();
  const answer = answerQuestion(ctx.index, question, { limit: pageSize });
  ctx.logger.debug({ hits: answer.total, ms: +(performance.now() - started).toFixed(2) }, 'question answered');
  await ctx.reply(renderAnswerHtml(answer, ctx.lang), {
    parse_mode: 'HTML',
    reply_parameters: { message_id: replyTo.message_id, allow_sending_without_reply: true },
    reply_markup: answerKeyboard(answer, pageSize, ctx.lang),
    link_preview_options: { is_disabled: true },
  });
  ctx.stats.countAnswer(performance.now() - started, answer.total > 0);
}

/** The text a message carries, whether it is a text message or a captioned media message. */
export function textOf(message: Message | undefined): string {
  return message?.text ?? message?.caption ?? '';
}

/**
 * The question of a caption that starts with `/ask` (or `/ask@bot` for this bot), as for a text
 * message; undefined when the caption does not start with that command. grammY's command filter
 * reads text messages only, but Telegram marks commands in captions too (`caption_entities`):
 * a photo captioned "/ask …" is a question.
 */
export function askInCaption(message: Message, botUsername: string): string | undefined {
  const caption = message.caption ?? '';
  const command = message.caption_entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!command) return undefined;
  const [name, target] = caption.slice(1, command.length).split('@');
  if (name !== 'ask' || (target !== undefined && target.toLowerCase() !== botUsername.toLowerCase())) return undefined;
  return caption.slice(command.length).trim();
}

/** Removes a leading bot command ("/ask", "/ask@bot") from a message text. */
export function stripCommand(text: string): string {
  return text.replace(/^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/, '').trim();
}

import { InlineKeyboard } from 'grammy';
import type { Answer } from '../../answer.ts';
import { format, type UiLang } from '../i18n.ts';

/** Telegram's limit for callback_data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;
/** Telegram passes at most this many characters of an inline query to the bot. */
export const MAX_INLINE_QUERY_CHARS = 256;

/** What a "More"/"Back" button asks for: a page offset, and the question when it fits. */
export interface PageRequest {
  offset: number;
  question: string | null;
}

const PREFIX = 'p:';

/**
 * Callback data for a page. The question rides along when it fits in 64 bytes, so paging works
 * after a restart without any stored state; otherwise the handler re-reads it from the message
 * the answer replies to.
 */
export function encodePageRequest(offset: number, question: string): string {
  const bare = `${PREFIX}${offset}`;
  const full = `${bare}:${question}`;
  return Buffer.byteLength(full, 'utf8') <= MAX_CALLBACK_BYTES ? full : bare;
}

/** Reads callback data written by encodePageRequest; undefined for anything else. */
export function decodePageRequest(data: string): PageRequest | undefined {
  const m = /^p:(\d{1,6})(?::(.*))?$/s.exec(data);
  if (!m) return undefined;
  return { offset: Number(m[1]), question: m[2] ?? null };
}

/** Buttons under an answer: back / more when there are other pages, and share through inline mode. */
export function answerKeyboard(answer: Answer, pageSize: number, lang: UiLang): InlineKeyboard | undefined {
  if (answer.hits.length === 0) return undefined;
  const keyboard = new InlineKeyboard();
  if (answer.offset > 0) {
    keyboard.text(format(lang, 'previous'), encodePageRequest(Math.max(0, answer.offset - pageSize), answer.query));
  }
  if (answer.offset + answer.hits.length < answer.total) {
    keyboard.text(format(lang, 'more'), encodePageRequest(answer.offset + answer.hits.length, answer.query));
  }
  keyboard.switchInline(format(lang, 'share'), [...answer.query].slice(0, MAX_INLINE_QUERY_CHARS).join(''));
  return keyboard;
}

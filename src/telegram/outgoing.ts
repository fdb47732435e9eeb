import { InputFile, type Transformer } from 'grammy';
import type { Logger } from '../logger.ts';
import { MAX_MESSAGE_CHARS, toWellFormed, truncate, truncateHtml, visibleLength } from './render/html.ts';

/**
 * Cleans every string of every Bot API call, in one place, whatever feature built it (answers,
 * inline results, callback data, keyboards): unpaired UTF-16 surrogates become U+FFFD (Telegram
 * refuses the whole call otherwise), and the bot's own token, should a document hold it, is
 * redacted before it reaches a chat.
 */
export function sanitizeOutgoing(token: string): Transformer {
  const secret = token.slice(token.indexOf(':') + 1);
  const clean = (text: string) => {
    const wellFormed = toWellFormed(text);
    return secret.length >= 8 && wellFormed.includes(secret) ? wellFormed.split(token).join('[redacted]').split(secret).join('[redacted]') : wellFormed;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return clean(value);
    if (Array.isArray(value)) return value.map(walk);
    // Files are uploaded as they are; any other object (InlineKeyboard too) is sent as its fields.
    if (value === null || typeof value !== 'object' || value instanceof InputFile) return value;
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, walk(field)]));
  };
  return (prev, method, payload, signal) => prev(method, walk(payload) as typeof payload, signal);
}

/**
 * Sends a message again, once, shortened, when Telegram finds it too long ("message is too long"):
 * the renderer holds answers within MAX_MESSAGE_CHARS by our count, and should Telegram count
 * otherwise the reader gets the start of the answer rather than an apology. The text is cut to
 * half, within the limit, as valid HTML (or plain text without parse_mode).
 */
export function shortenTooLong(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    const p = payload as { parse_mode?: string; text?: string };
    const tooLong = !result.ok && result.error_code === 400 && /message is too long/i.test(result.description);
    if (!tooLong || typeof p.text !== 'string' || (method !== 'sendMessage' && method !== 'editMessageText')) return result;
    const html = p.parse_mode === 'HTML';
    const target = Math.floor(Math.min(html ? visibleLength(p.text) : p.text.length, MAX_MESSAGE_CHARS) / 2);
    const text = html ? truncateHtml(p.text, target) : truncate(p.text, target);
    logger.warn({ method, description: result.description, chars: p.text.length, shortenedTo: text.length }, 'message too long; sending it shortened');
    return prev(method, { ...payload, text } as typeof payload, signal);
  };
}

/** Checks on reply markup and inline query answers that go beyond api.json's types. */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { invalidRequest } from './errors.ts';
import { type FormattedText, formatText } from './formatting.ts';

export const MAX_CALLBACK_DATA_BYTES = 64;
export const MAX_INLINE_KEYBOARD_BUTTONS = 100;
export const MAX_INLINE_RESULTS = 50;
export const MAX_INLINE_RESULT_ID_BYTES = 64;
export const MAX_NEXT_OFFSET_BYTES = 64;
export const MAX_CALLBACK_ANSWER_CHARS = 200;

const BUTTON_ACTIONS = [
  'url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay',
] as const;

const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function checkButtonUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const okScheme = parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'tg:');
  if (!parsed || !okScheme || ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parsed.hostname)) {
    throw invalidRequest(`inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`);
  }
}

/** Validates an inline keyboard: one action per button, callback_data of 1–64 bytes, valid URLs, ≤ 100 buttons. */
export function validateInlineKeyboard(markup: InlineKeyboardMarkup, warnings: string[]): void {
  const buttons: InlineKeyboardButton[] = markup.inline_keyboard.flat();
  if (buttons.length > MAX_INLINE_KEYBOARD_BUTTONS) throw invalidRequest('reply markup is too long');
  for (const button of buttons) {
    const record = button as unknown as Record<string, unknown>;
    const actions = BUTTON_ACTIONS.filter((a) => record[a] !== undefined && record[a] !== null);
    if (button.text.trim() === '') throw invalidRequest('BUTTON_TEXT_INVALID', `button with empty text`);
    if (actions.length === 0) {
      throw invalidRequest(
        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        `button "${button.text}" has no action (url, callback_data, ...)`,
      );
    }
    if (actions.length > 1) warnings.push(`button "${button.text}" has several actions (${actions.join(', ')}); Telegram uses one`);
    if ('callback_data' in button && typeof button.callback_data === 'string') {
      const bytes = utf8Bytes(button.callback_data);
      if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) {
        throw invalidRequest('BUTTON_DATA_INVALID', `callback_data of button "${button.text}" is ${bytes} bytes (1-64 allowed)`);
      }
    }
    if ('url' in button && typeof button.url === 'string') checkButtonUrl(button.url);
  }
}

/** Validates `reply_markup` of a send or edit call (the schema has already checked its shape). */
export function validateReplyMarkup(markup: unknown, warnings: string[]): void {
  if (markup && typeof markup === 'object' && 'inline_keyboard' in markup) {
    validateInlineKeyboard(markup as InlineKeyboardMarkup, warnings);
  }
}

/** A validated inline query result: for text content, the message it would post. */
export interface CheckedResult {
  id: string;
  result: Record<string, unknown>;
  message?: FormattedText;
}

/**
 * Validates the results of answerInlineQuery: ≤ 50 results, unique ids of 1–64 bytes, each text
 * content parsed and measured like sendMessage, keyboards checked; and the `button` and `next_offset`.
 */
export function validateInlineAnswer(params: Record<string, unknown>, warnings: string[]): CheckedResult[] {
  const results = (params.results as Array<Record<string, unknown>> | undefined) ?? [];
  if (results.length > MAX_INLINE_RESULTS) throw invalidRequest('RESULTS_TOO_MUCH', `${results.length} results (at most 50)`);
  const seen = new Set<string>();
  const checked: CheckedResult[] = [];
  for (const [index, result] of results.entries()) {
    const id = String(result.id ?? '');
    const bytes = utf8Bytes(id);
    if (bytes === 0) throw invalidRequest('RESULT_ID_EMPTY', `results[${index}].id is empty`);
    if (bytes > MAX_INLINE_RESULT_ID_BYTES) throw invalidRequest('RESULT_ID_INVALID', `results[${index}].id is ${bytes} bytes (1-64 allowed)`);
    if (seen.has(id)) throw invalidRequest('RESULT_ID_DUPLICATE', `results[${index}].id "${id}" is used twice`);
    seen.add(id);
    if (result.type === 'article' && typeof result.title === 'string' && result.title.trim() === '') {
      throw invalidRequest('RESULT_TITLE_EMPTY', `results[${index}].title is empty`);
    }
    if (result.reply_markup) validateInlineKeyboard(result.reply_markup as InlineKeyboardMarkup, warnings);
    const content = result.input_message_content as Record<string, unknown> | undefined;
    const entry: CheckedResult = { id, result };
    if (content && typeof content.message_text === 'string') {
      entry.message = formatText(content.message_text, content.parse_mode, content.entities, warnings);
    }
    checked.push(entry);
  }
  if (typeof params.next_offset === 'string' && utf8Bytes(params.next_offset) > MAX_NEXT_OFFSET_BYTES) {
    throw invalidRequest('NEXT_OFFSET_INVALID', `next_offset is ${utf8Bytes(params.next_offset)} bytes (at most 64)`);
  }
  const button = params.button as Record<string, unknown> | undefined;
  if (button) {
    const hasWebApp = button.web_app !== undefined;
    const start = button.start_parameter;
    if (hasWebApp === (start !== undefined)) {
      throw invalidRequest("can't parse InlineQueryResultsButton: exactly one of web_app and start_parameter must be specified");
    }
    if (typeof start === 'string' && !/^[A-Za-z0-9_-]{1,64}$/.test(start)) {
      throw invalidRequest('START_PARAM_INVALID', `button.start_parameter "${start}" must be 1-64 characters A-Z, a-z, 0-9, _ and -`);
    }
  }
  return checked;
}

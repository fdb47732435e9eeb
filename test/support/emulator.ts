/**
 * A strict Telegram Bot API emulator for end-to-end tests.
 *
 * It speaks HTTP like api.telegram.org (`/bot<token>/<method>`, JSON / urlencoded / query-string
 * parameters, Telegram's `{ ok, error_code, description, parameters }` errors), validates every call
 * against the Bot API spec (api.json, Bot API 10.1), and reproduces the rules a bot depends on:
 * long polling with offset confirmation and 409 conflicts, HTML / MarkdownV2 parsing with TDLib's
 * error messages, the 4096-character limit after parsing, reply and edit rules, callback and inline
 * query answers, group privacy mode, and documents (getFile, 20 MB, `/file/bot<token>/<path>`
 * downloads). Tests play the users' side with `sendUserMessage`, `sendUserDocument`,
 * `sendCallbackQuery`, `sendInlineQuery`, ... and read what the bot did from `calls` and `messages`.
 *
 * @example
 * const emu = await startEmulator();
 * const child = spawn('npx', ['tsx', 'src/main.ts'], { env: { ...process.env, BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot } });
 * emu.sendUserMessage({ text: '/start' });
 * const reply = await emu.waitForMessage(DEFAULT_USER.id);
 * expect(emu.invalidCalls()).toEqual([]);
 * await emu.close();
 */
export { Emulator, startEmulator } from './emulator/server.ts';
export { DEFAULT_TOKEN, DEFAULT_USER, TelegramEmulator } from './emulator/telegram-emulator.ts';
export type { CallOutcome } from './emulator/telegram-emulator.ts';
export type { CallPredicate } from './emulator/calls.ts';
export { ApiError, type ApiErrorBody, type ResponseParameters } from './emulator/errors.ts';
export {
  type FormattedText,
  MAX_MESSAGE_TEXT_UTF16,
  formatText,
  parseHtml,
  parseMarkdown,
  parseMarkdownV2,
} from './emulator/formatting.ts';
export { type BotApiSchema, loadSchema } from './emulator/schema.ts';
export { FILE_LINK_TTL_MS, MAX_DOWNLOAD_BYTES, type FileDownload } from './emulator/files.ts';
export type * from './emulator/types.ts';

/** Small helpers for the end-to-end tests: ask the bot something and read its answer through the emulator. */
import type { InlineKeyboardButton, Message } from 'grammy/types';
import type { Emulator, EmulatorCall, UserMessageInput } from './emulator.ts';

/** How long to wait for one bot call, in ms (a bound on hangs, not a performance claim). */
export const WAIT_MS = 10_000;

/** A message the bot sent: the call (parameters as sent, HTML included) and the message as the emulator parsed it. */
export interface Sent {
  call: EmulatorCall;
  /** The text the bot sent, before parsing (HTML when parse_mode is HTML). */
  html: string;
  message: Message;
}

export function sentOf(call: EmulatorCall): Sent {
  return { call, html: String(call.params.text), message: call.result as Message };
}

/**
 * A user sends `input`; resolves with the bot's first successful sendMessage to that chat after it
 * (any message, not necessarily a reply). Fails if the message was not delivered to the bot.
 */
export async function sendAndWait(emu: Emulator, input: UserMessageInput): Promise<Sent & { asked: Message }> {
  const since = emu.mark();
  const injected = emu.sendUserMessage(input);
  if (!injected.delivered) throw new Error(`not delivered to the bot: ${injected.reason}`);
  const chatId = injected.message.chat.id;
  const call = await emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === chatId, { since, timeoutMs: WAIT_MS });
  return { ...sentOf(call), asked: injected.message };
}

/**
 * Like sendAndWait, but waits for the bot's reply to that very message, so that a stray message
 * the bot sent meanwhile cannot be taken for it (use it to probe that earlier updates were handled).
 */
export async function sendAndWaitForReply(emu: Emulator, input: UserMessageInput): Promise<Sent & { asked: Message }> {
  const since = emu.mark();
  const injected = emu.sendUserMessage(input);
  if (!injected.delivered) throw new Error(`not delivered to the bot: ${injected.reason}`);
  const { chat, message_id } = injected.message;
  const repliesToAsked = (c: EmulatorCall) =>
    c.ok && c.params.chat_id === chat.id && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === message_id;
  const call = await emu.waitForCall('sendMessage', repliesToAsked, { since, timeoutMs: WAIT_MS });
  // The bot serves chats at once, so a reply here says nothing of another chat's updates; the
  // probe's confirmation does: a batch is confirmed only once all of it is handled.
  if (injected.update_id !== undefined) await emu.waitForConfirmation(injected.update_id, { timeoutMs: WAIT_MS });
  return { ...sentOf(call), asked: injected.message };
}

/** One passage of a rendered answer: its number, its HTML text and its source line. */
export interface RenderedPassage {
  n: number;
  text: string;
  source: string;
}

/** Splits an answer's HTML into its numbered passages (`<b>1.</b> text\n<i>— source</i>`). */
export function passagesOf(html: string): RenderedPassage[] {
  return html
    .split(/\n\n(?=<b>\d+\.<\/b> )/)
    .map((block) => {
      const m = /^<b>(\d+)\.<\/b> ([\s\S]*)\n(<i>— [\s\S]*<\/i>)$/.exec(block);
      if (!m) throw new Error(`not a rendered passage: ${JSON.stringify(block)}`);
      return { n: Number(m[1]), text: m[2]!, source: m[3]! };
    });
}

/** The inline keyboard of a sent message, flattened. */
export function buttonsOf(message: Message): InlineKeyboardButton[] {
  return message.reply_markup?.inline_keyboard.flat() ?? [];
}

/** The callback data of the button labelled `label` (throws if there is none). */
export function callbackDataOf(message: Message, label: string | RegExp): string {
  const button = buttonsOf(message).find((b) => (typeof label === 'string' ? b.text === label : label.test(b.text)));
  if (!button || !('callback_data' in button) || button.callback_data === undefined) {
    throw new Error(`no callback button ${String(label)} in ${JSON.stringify(message.reply_markup)}`);
  }
  return button.callback_data;
}

/** Calls the bot made that the emulator found invalid or answered with an error nobody injected. */
export function problems(emu: Emulator): Array<Pick<EmulatorCall, 'seq' | 'method' | 'description' | 'problems'>> {
  const seen = new Set<number>();
  return [...emu.invalidCalls(), ...emu.failedCalls()]
    .filter((c) => !seen.has(c.seq) && seen.add(c.seq))
    .map(({ seq, method, description, problems: p }) => ({ seq, method, description, problems: p }));
}

/** A private-chat user writing in Chinese (Telegram's language code for Simplified Chinese clients). */
export const CHINESE_USER = { id: 100002, first_name: '小明', username: 'xiaoming_test', language_code: 'zh-hans' };

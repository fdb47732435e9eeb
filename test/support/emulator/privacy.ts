/**
 * Which messages reach the bot: Telegram's group privacy mode (BotFather's /setprivacy, on by default).
 *
 * With privacy mode on, in groups and supergroups a bot receives commands (a `bot_command` entity at
 * offset 0, either bare or addressed to it as `/cmd@this_bot`), replies to its own messages, messages
 * sent via it (inline mode), and every service message. Plain `@bot` mentions do NOT reach it.
 * Admin bots and bots with privacy off receive everything; private chats and channels always.
 */
import type { Message } from 'grammy/types';
import { isServiceMessage } from './store.ts';
import type { ChatMemberStatus } from './types.ts';

/** Telegram's own senders that bots do receive messages from (anonymous admins, linked channels, service notifications). */
export const SYSTEM_SENDER_IDS = new Set([1087968824, 136817688, 777000]);

/** Whether the bot gets an update, and if not, why. */
export interface Visibility {
  visible: boolean;
  reason?: string;
}

export interface BotContext {
  botId: number;
  botUsername: string;
  privacyMode: boolean;
  /** The bot's membership in the message's chat. */
  botStatus: ChatMemberStatus;
}

/** Decides whether Telegram would deliver `message` to the bot. */
export function decideDelivery(message: Message, bot: BotContext): Visibility {
  const chat = message.chat;
  if (message.from?.id === bot.botId) return { visible: false, reason: "the bot's own message" };
  if (message.from?.is_bot && !SYSTEM_SENDER_IDS.has(message.from.id)) {
    return { visible: false, reason: 'bots do not receive messages from other bots' };
  }
  if (chat.type === 'private') return { visible: true };
  if (bot.botStatus === 'left' || bot.botStatus === 'kicked') return { visible: false, reason: 'the bot is not a member of this chat' };
  if (chat.type === 'channel' || !bot.privacyMode) return { visible: true };
  if (bot.botStatus === 'administrator' || bot.botStatus === 'creator') return { visible: true };
  if (isServiceMessage(message)) return { visible: true };
  if (message.via_bot?.id === bot.botId) return { visible: true };
  if (message.reply_to_message?.from?.id === bot.botId) return { visible: true };
  const text = message.text ?? message.caption ?? '';
  const entities = message.entities ?? message.caption_entities ?? [];
  const command = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (command) {
    const name = text.slice(0, command.length);
    const at = name.indexOf('@');
    if (at < 0 || name.slice(at + 1).toLowerCase() === bot.botUsername.toLowerCase()) return { visible: true };
    return { visible: false, reason: `privacy mode: the command is addressed to @${name.slice(at + 1)}` };
  }
  return { visible: false, reason: 'privacy mode: not a command, a reply to the bot or a message via the bot' };
}

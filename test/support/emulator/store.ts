/** Chats, their messages and members, as the emulated Telegram server keeps them. */
import type { Chat, Message, User } from 'grammy/types';
import type { ChatMemberStatus } from './types.ts';

/** One chat the emulator knows about. */
export interface ChatState {
  chat: Chat;
  messages: Map<number, Message>;
  nextMessageId: number;
  /** The bot's own membership: `kicked` in a private chat means the user blocked the bot. */
  botStatus: ChatMemberStatus;
  members: Map<number, ChatMemberStatus>;
  /** Times (ms) of the bot's recent sendMessage calls, for flood control. */
  sentAt: number[];
}

/** Where an inline message (posted from an inline result) lives. */
export interface InlineMessageRef {
  chatId: number;
  messageId: number;
}

/** Service-message fields: with privacy mode on, bots still receive every service message. */
export const SERVICE_FIELDS = [
  'new_chat_members', 'left_chat_member', 'new_chat_title', 'new_chat_photo', 'delete_chat_photo', 'group_chat_created',
  'supergroup_chat_created', 'channel_chat_created', 'message_auto_delete_timer_changed', 'migrate_to_chat_id',
  'migrate_from_chat_id', 'pinned_message', 'forum_topic_created', 'forum_topic_edited', 'forum_topic_closed',
  'forum_topic_reopened', 'general_forum_topic_hidden', 'general_forum_topic_unhidden', 'video_chat_scheduled',
  'video_chat_started', 'video_chat_ended', 'video_chat_participants_invited', 'write_access_allowed', 'users_shared',
  'chat_shared', 'boost_added', 'chat_background_set', 'proximity_alert_triggered', 'giveaway_created', 'giveaway_completed',
] as const;

export const isServiceMessage = (message: Message): boolean =>
  SERVICE_FIELDS.some((field) => (message as unknown as Record<string, unknown>)[field] !== undefined);

/** A deep copy, so that tests and updates never share objects with the store. */
export const clone = <T>(value: T): T => structuredClone(value);

export class ChatStore {
  private readonly chats = new Map<number, ChatState>();
  private readonly users = new Map<number, User>();
  private readonly inline = new Map<string, InlineMessageRef>();
  private inlineCounter = 0;

  /** Registers a chat (or refreshes what is known about it) and returns its state. */
  upsertChat(chat: Chat): ChatState {
    const existing = this.chats.get(chat.id);
    if (existing) {
      existing.chat = { ...existing.chat, ...chat } as Chat;
      return existing;
    }
    const state: ChatState = {
      chat: { ...chat },
      messages: new Map(),
      nextMessageId: 1,
      botStatus: 'member',
      members: new Map(),
      sentAt: [],
    };
    this.chats.set(chat.id, state);
    return state;
  }

  get(chatId: number): ChatState | undefined {
    return this.chats.get(chatId);
  }

  /** Finds a chat by id, numeric string or `@username`. */
  resolve(chatId: unknown): ChatState | undefined {
    if (typeof chatId === 'number') return this.chats.get(chatId);
    if (typeof chatId !== 'string') return undefined;
    if (/^-?\d+$/.test(chatId.trim())) return this.chats.get(Number(chatId));
    if (!chatId.startsWith('@')) return undefined;
    const username = chatId.slice(1).toLowerCase();
    for (const state of this.chats.values()) {
      if ('username' in state.chat && state.chat.username?.toLowerCase() === username) return state;
    }
    return undefined;
  }

  all(): ChatState[] {
    return [...this.chats.values()];
  }

  rememberUser(user: User | undefined): void {
    if (user) this.users.set(user.id, { ...this.users.get(user.id), ...user });
  }

  user(id: number): User | undefined {
    return this.users.get(id);
  }

  /** Takes the next message id of a chat; ids only grow, also past ids of injected fixtures. */
  allocateMessageId(state: ChatState): number {
    return state.nextMessageId++;
  }

  /**
   * Stores a message (a copy). Messages nested as `reply_to_message` or `pinned_message` are stored
   * too when the chat does not have them yet, so that later replies to them resolve.
   */
  storeMessage(message: Message): ChatState {
    const state = this.upsertChat(message.chat);
    this.rememberUser(message.from);
    for (const nested of [message.reply_to_message, (message as { pinned_message?: Message }).pinned_message]) {
      if (nested && 'date' in nested && nested.date !== 0 && nested.chat?.id === message.chat.id && !state.messages.has(nested.message_id)) {
        state.messages.set(nested.message_id, clone(nested as Message));
        this.rememberUser((nested as Message).from);
        if (nested.message_id >= state.nextMessageId) state.nextMessageId = nested.message_id + 1;
      }
    }
    state.messages.set(message.message_id, clone(message));
    if (message.message_id >= state.nextMessageId) state.nextMessageId = message.message_id + 1;
    if (message.from && message.chat.type !== 'private' && !state.members.has(message.from.id)) {
      state.members.set(message.from.id, 'member');
    }
    return state;
  }

  message(chatId: number, messageId: number): Message | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  createInlineMessage(ref: InlineMessageRef): string {
    this.inlineCounter++;
    const id = Buffer.from(`inline:${ref.chatId}:${ref.messageId}:${this.inlineCounter}`).toString('base64url');
    this.inline.set(id, ref);
    return id;
  }

  inlineMessage(id: string): InlineMessageRef | undefined {
    return this.inline.get(id);
  }
}

/** Public types of the Bot API emulator. */
import type { Chat, Message, MessageEntity, Update, User } from 'grammy/types';
import type { ResponseParameters } from './errors.ts';

/** How the emulated bot and server behave. Every field is optional. */
export interface EmulatorOptions {
  /** The bot token the emulator accepts; default `"<botId>:emulator-test-token"`. */
  token?: string;
  /** The bot's user id; default: the number before the token's colon, else 7000000001. */
  botId?: number;
  /** Default `"citebot_test_bot"`. */
  botUsername?: string;
  /** Default `"Citebot Test"`. */
  botFirstName?: string;
  /** Group privacy mode as set in BotFather; default true (Telegram's default). `getMe.can_read_all_group_messages` is its negation. */
  privacyMode?: boolean;
  /** `getMe.can_join_groups`; default true. */
  canJoinGroups?: boolean;
  /** `getMe.supports_inline_queries`; default true. When false, `sendInlineQuery` throws. */
  supportsInlineQueries?: boolean;
  /** BotFather's inline feedback: send `chosen_inline_result` updates from `chooseInlineResult`; default false. */
  inlineFeedback?: boolean;
  /** How long a callback or inline query can be answered, in ms; default 15000. */
  queryTimeoutMs?: number;
  /**
   * Answer 429 like Telegram's flood control when the bot sends too fast (sendMessage only).
   * `true` uses about 1 message/s per chat, 20/min per group and 30/s overall. Default false.
   */
  floodControl?: boolean | FloodLimits;
  /**
   * Answer every call but getUpdates this many ms after handling it, as a bot far from Telegram's
   * servers sees it (a round trip of tens of ms); default 0.
   */
  responseDelayMs?: number;
  /** Accept `setWebhook` with a plain http:// URL (Telegram requires https); default true, with a warning on the call. */
  allowInsecureWebhook?: boolean;
  /** Pause between webhook delivery attempts after a failure, in ms; default 200. */
  webhookRetryMs?: number;
  /** Host to listen on; default `"127.0.0.1"`. */
  host?: string;
  /** Port to listen on; default 0 (a random free port). */
  port?: number;
  /** Clock in ms since the epoch, for message dates; default `Date.now`. */
  now?: () => number;
}

/** Flood-control windows used when `floodControl` is on. */
export interface FloodLimits {
  perChatPerSecond?: number;
  perGroupPerMinute?: number;
  globalPerSecond?: number;
}

/** One Bot API request the bot made, as the emulator answered it. */
export interface EmulatorCall {
  /** Position in `emulator.calls` (compare with `mark()`). */
  seq: number;
  /** Canonical method name, e.g. `sendMessage` (as sent if the method is unknown). */
  method: string;
  /** Parameters after parsing: JSON-serialised objects are objects, numeric strings of Integer parameters are numbers. */
  params: Record<string, unknown>;
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: ResponseParameters;
  /** Why the request itself is invalid (api.json types, limits, markup); empty for a valid request. */
  problems: string[];
  /** Things Telegram accepts silently but that are probably mistakes (unknown parameters, clipped entities). */
  warnings: string[];
  /** The failure came from `failNext`. */
  injected: boolean;
  /** The client went away before the answer (a long poll cancelled by `bot.stop()`, a timeout). */
  aborted: boolean;
  /** When the request arrived, ms since the epoch. */
  at: number;
  durationMs: number;
  /** `webhook-reply` for a method the bot returned in its webhook response body. */
  transport: 'http' | 'webhook-reply';
}

/** A failure to answer the next call(s) of a method with, instead of processing them. */
export interface InjectedFailure {
  /** HTTP status and `error_code`; default 500. */
  error_code?: number;
  /** Default: Telegram's wording for the code (`Too Many Requests: retry after N` for 429). */
  description?: string;
  /** For 429: seconds in `parameters.retry_after`; default 1. */
  retry_after?: number;
  migrate_to_chat_id?: number;
  /** How many calls to fail; default 1. */
  times?: number;
  /** Fail every call for this long from now, in ms, instead of a number of `times` (a flood or an outage). */
  forMs?: number;
  /** Destroy the socket without answering (a network error in the client) instead of an error response. */
  network?: boolean;
  /** Wait this long before failing, in ms. */
  delayMs?: number;
  /**
   * Never answer: hold the call until the client gives up (its timeout) or the emulator closes. The
   * call is not processed, so a held getUpdates confirms nothing. See `heldCalls`.
   */
  hang?: boolean;
  /** Fail only calls to this chat (`chat_id`); calls to other chats go through and do not use up `times`. */
  chat_id?: number;
}

/** A chat given by reference: `'private'` (the sender's chat with the bot), an id already known, or a description. */
export type ChatRef =
  | 'private'
  | number
  | {
      id: number;
      type: 'private' | 'group' | 'supergroup' | 'channel';
      title?: string;
      username?: string;
      is_forum?: boolean;
      first_name?: string;
    };

/** A user as tests describe one; `is_bot` defaults to false. */
export interface UserInput {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_bot?: boolean;
  is_premium?: true;
}

/** What `sendUserMessage` sends. */
export interface UserMessageInput {
  /** Default `'private'`. */
  chat?: ChatRef;
  /** Default: the emulator's default user (`DEFAULT_USER`). */
  from?: UserInput;
  text: string;
  /** Default: `bot_command` and `mention` entities detected in the text, as Telegram clients do. */
  entities?: MessageEntity[];
  /**
   * Send a photo with `text` as its caption (`caption`, `caption_entities`) instead of a text
   * message, shaped like a real photo message (several `photo` sizes).
   */
  photo?: boolean;
  /** message_id of a message in the same chat to reply to; it must exist. */
  replyTo?: number;
  /** Forum topic (or reply thread) id. In a forum the topic is created if it does not exist. */
  threadId?: number;
  /** Mark the message as sent via an inline bot; `true` means this bot. */
  via_bot?: true | UserInput;
  /** Extra Message fields merged into the message (e.g. `sender_chat`, `forward_origin`). */
  extra?: Partial<Message>;
}

/** What `sendUserDocument` sends: a file, as a Telegram client attaches one. */
export interface UserDocumentInput extends Omit<UserMessageInput, 'text' | 'entities' | 'via_bot'> {
  /** The file's contents (a string is UTF-8). */
  bytes: Buffer | Uint8Array | string;
  /** `document.file_name`; omitted from the message when undefined. */
  file_name?: string;
  /** `document.mime_type`; omitted when undefined. */
  mime_type?: string;
  /** `document.file_size`; default the byte count, `null` omits it (the field is optional in the Bot API). */
  file_size?: number | null;
  /** Optional caption; its commands and mentions get entities as with text. */
  caption?: string;
}

/** A document put into a chat: the message, its delivery, and the ids getFile takes. */
export interface InjectedDocument extends InjectedMessage {
  file_id: string;
  file_unique_id: string;
}

/** A message put into a chat by a test, and whether the bot got an update for it. */
export interface InjectedMessage {
  message: Message;
  delivered: boolean;
  update_id?: number;
  /** Why it was not delivered (privacy mode, allowed_updates, a message from a bot). */
  reason?: string;
}

/** The outcome of putting any update in the queue. */
export interface Delivery {
  delivered: boolean;
  update_id?: number;
  reason?: string;
}

export interface CallbackQueryInput {
  from?: UserInput;
  chat_id?: number;
  message_id?: number;
  inline_message_id?: string;
  /** Callback data of the pressed button. */
  data?: string;
  /** Or the label of the pressed button; its callback_data is used. */
  buttonText?: string;
  /** Skip the check that the message carries a button with this data. */
  unchecked?: boolean;
}

export interface InlineQueryInput {
  from?: UserInput;
  query: string;
  offset?: string;
  chat_type?: 'sender' | 'private' | 'group' | 'supergroup' | 'channel';
}

export interface ChooseInlineResultInput {
  queryId: string;
  resultId: string;
  /** Where the user posts the result; default: the user's private chat with the bot. */
  chat?: ChatRef;
}

export interface ChosenInlineResultOutcome {
  /** The message as it appears in the chat (`via_bot` = this bot). */
  message: Message;
  /** Present when the result has an inline keyboard, as with Telegram. */
  inline_message_id?: string;
  /** The `message` update, if the bot is in that chat and may see it. */
  message_delivery: Delivery;
  /** The `chosen_inline_result` update (only with `inlineFeedback`). */
  feedback_delivery: Delivery;
}

/** What the bot answered to a callback or inline query. */
export interface QueryAnswer {
  at: number;
  params: Record<string, unknown>;
}

/** Commands stored by `setMyCommands` for one scope and language. */
export interface StoredCommands {
  /** `default`, `all_private_chats`, `chat:<id>`, `chat_member:<chat>:<user>`, ... */
  scopeKey: string;
  scope: Record<string, unknown>;
  language_code: string;
  commands: Array<{ command: string; description: string }>;
}

export type ChatMemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

export interface WaitOptions {
  /** Only calls with `seq >= since` match; default: the current `mark()`. */
  since?: number;
  /** Default 5000. */
  timeoutMs?: number;
}

export type { Chat, Message, MessageEntity, Update, User };

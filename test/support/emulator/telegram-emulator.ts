/**
 * The emulated Telegram server behind the HTTP layer: the bot's methods, the chats, the update queue,
 * and what tests use to play the users' side.
 */
import type {
  BotCommand,
  Chat,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from 'grammy/types';
import { CallLog, type CallPredicate } from './calls.ts';
import {
  ApiError,
  NOT_MODIFIED,
  POLL_CONFLICT,
  QUERY_TOO_OLD,
  WEBHOOK_CONFLICT,
  badRequest,
  invalidRequest,
  tooManyRequests,
} from './errors.ts';
import { FileStore } from './files.ts';
import { detectEntities, formatText } from './formatting.ts';
import { type CheckedResult, MAX_CALLBACK_ANSWER_CHARS, validateInlineAnswer, validateReplyMarkup } from './markup.ts';
import { type BotApiSchema, type Problem, loadSchema } from './schema.ts';
import { SYSTEM_SENDER_IDS, type Visibility, decideDelivery } from './privacy.ts';
import { type ChatState, ChatStore, clone } from './store.ts';
import type {
  CallbackQueryInput,
  ChatMemberStatus,
  ChatRef,
  ChooseInlineResultInput,
  ChosenInlineResultOutcome,
  Delivery,
  EmulatorCall,
  EmulatorOptions,
  FloodLimits,
  InjectedFailure,
  InjectedDocument,
  InjectedMessage,
  InlineQueryInput,
  QueryAnswer,
  StoredCommands,
  UserDocumentInput,
  UserInput,
  UserMessageInput,
  WaitOptions,
} from './types.ts';
import { UpdateQueue } from './updates.ts';

/** The token the emulator accepts unless told otherwise. */
export const DEFAULT_TOKEN = '7000000001:emulator-test-token';
/** The user that `sendUserMessage` and the query helpers use when no `from` is given. */
export const DEFAULT_USER: UserInput = { id: 100001, first_name: 'Ada', username: 'ada_test', language_code: 'en' };

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document',
  'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);
const UPDATE_TYPES = new Set([
  'message', 'edited_message', 'channel_post', 'edited_channel_post', 'business_connection', 'business_message',
  'edited_business_message', 'deleted_business_messages', 'guest_message', 'message_reaction', 'message_reaction_count',
  'inline_query', 'chosen_inline_result', 'callback_query', 'shipping_query', 'pre_checkout_query', 'purchased_paid_media',
  'poll', 'poll_answer', 'my_chat_member', 'chat_member', 'chat_join_request', 'chat_boost', 'removed_chat_boost', 'managed_bot',
]);
const MESSAGE_UPDATE_TYPES = new Set(['message', 'edited_message', 'channel_post', 'edited_channel_post', 'business_message', 'edited_business_message']);

/** What the HTTP layer sends back for one call. */
export type CallOutcome = { status: number; body: unknown } | { destroySocket: true };

interface CallScope {
  warnings: string[];
  signal: AbortSignal;
}

type Handler = (params: Record<string, unknown>, scope: CallScope) => unknown;

interface QueryState {
  kind: 'callback' | 'inline';
  createdAt: number;
  from: User;
  query?: string;
  answer?: QueryAnswer;
  results?: CheckedResult[];
}

interface WebhookState {
  url: string;
  secretToken?: string;
  maxConnections: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : undefined;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** JSON with sorted keys: equal for equal content whatever the key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function describeSchemaProblem(method: string, problem: Problem): string {
  const top = problem.path.split(/[.[]/)[0] ?? problem.path;
  if (problem.message.includes('surrogate')) return 'strings must be encoded in UTF-8';
  if (problem.message === 'is required' && problem.path === top) {
    if (top === 'chat_id') return 'chat_id is empty';
    if (top === 'text' && (method === 'sendMessage' || method === 'editMessageText')) return 'message text is empty';
    if (top === 'callback_query_id' || top === 'inline_query_id') return QUERY_TOO_OLD;
    return `parameter "${top}" is required`;
  }
  if (problem.path === top) return `field "${top}" ${problem.message}`;
  return `can't parse ${top} JSON object: field "${problem.path}" ${problem.message}`;
}

/** The sizes Telegram sends for one photo (a thumbnail up to 1280 px), as in a real update. */
function photoSizes(messageId: number): Array<{ file_id: string; file_unique_id: string; file_size: number; width: number; height: number }> {
  return [90, 320, 800, 1280].map((side, i) => ({
    file_id: `AgACAgQAAxkBAAI${messageId.toString(36)}p${i}`,
    file_unique_id: `AQAD${messageId.toString(36)}p${i}`,
    file_size: side * side,
    width: side,
    height: side,
  }));
}

/** Messages nested in a reply carry no reply of their own. */
function asReplyTarget(message: Message): Message {
  const copy = clone(message) as Message & { reply_to_message?: unknown };
  delete copy.reply_to_message;
  return copy;
}

const DEFAULT_FAILURE_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: POLL_CONFLICT,
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The emulated server. Use it through `startEmulator()`; the HTTP layer calls `invoke`. */
export class TelegramEmulator {
  readonly token: string;
  readonly botId: number;
  readonly log = new CallLog();
  readonly store = new ChatStore();
  readonly queue = new UpdateQueue();
  /** Files users sent, for getFile and downloads; `files.downloads` lists every download attempt. */
  readonly files: FileStore;
  /** Group privacy mode; can be changed between tests, as in BotFather. */
  privacyMode: boolean;
  private readonly schema: BotApiSchema;
  private readonly options: EmulatorOptions;
  private readonly flood: Required<FloodLimits> | undefined;
  private readonly failures = new Map<string, Array<InjectedFailure & { until?: number }>>();
  private readonly held = new Map<symbol, { method: string; release: () => void }>();
  private readonly queries = new Map<string, QueryState>();
  private readonly storedCommands = new Map<string, StoredCommands>();
  private readonly profile = new Map<string, string>();
  private readonly menuButtons = new Map<string, unknown>();
  private readonly globalSentAt: number[] = [];
  private readonly handlers: Record<string, Handler>;
  private webhook: WebhookState | undefined;
  private webhookRunning = false;
  private readonly webhookAbort = new AbortController();
  private queryCounter = 0n;
  private closed = false;

  constructor(options: EmulatorOptions = {}) {
    this.options = options;
    this.token = options.token ?? (options.botId !== undefined ? `${options.botId}:emulator-test-token` : DEFAULT_TOKEN);
    const id = options.botId ?? Number(this.token.split(':')[0]);
    this.botId = Number.isSafeInteger(id) && id > 0 ? id : 7000000001;
    this.privacyMode = options.privacyMode ?? true;
    this.files = new FileStore(this.botId);
    this.schema = loadSchema();
    const flood = options.floodControl;
    this.flood = flood
      ? {
          perChatPerSecond: (flood === true ? undefined : flood.perChatPerSecond) ?? 1,
          perGroupPerMinute: (flood === true ? undefined : flood.perGroupPerMinute) ?? 20,
          globalPerSecond: (flood === true ? undefined : flood.globalPerSecond) ?? 30,
        }
      : undefined;
    this.queue.onEnqueue = () => void this.runWebhook();
    this.handlers = {
      getMe: () => this.getMe(),
      logOut: () => true,
      close: () => true,
      getUpdates: (p, s) => this.getUpdates(p, s),
      setWebhook: (p, s) => this.setWebhook(p, s),
      deleteWebhook: (p) => this.deleteWebhook(p),
      getWebhookInfo: () => this.getWebhookInfo(),
      sendMessage: (p, s) => this.sendMessage(p, s),
      editMessageText: (p, s) => this.editMessageText(p, s),
      editMessageReplyMarkup: (p, s) => this.editMessageReplyMarkup(p, s),
      deleteMessage: (p) => this.deleteMessage(p),
      sendChatAction: (p) => this.sendChatAction(p),
      setMessageReaction: (p) => this.setMessageReaction(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      answerInlineQuery: (p, s) => this.answerInlineQuery(p, s),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.getMyCommands(p),
      deleteMyCommands: (p) => this.deleteMyCommands(p),
      setMyName: (p) => this.setProfileText('name', p.name, p.language_code, 64),
      getMyName: (p) => ({ name: this.profile.get(`name|${str(p.language_code) ?? ''}`) ?? '' }),
      setMyDescription: (p) => this.setProfileText('description', p.description, p.language_code, 512),
      getMyDescription: (p) => ({ description: this.profile.get(`description|${str(p.language_code) ?? ''}`) ?? '' }),
      setMyShortDescription: (p) => this.setProfileText('short_description', p.short_description, p.language_code, 120),
      getMyShortDescription: (p) => ({
        short_description: this.profile.get(`short_description|${str(p.language_code) ?? ''}`) ?? '',
      }),
      setChatMenuButton: (p) => {
        this.menuButtons.set(String(p.chat_id ?? ''), p.menu_button ?? { type: 'default' });
        return true;
      },
      getChatMenuButton: (p) => this.menuButtons.get(String(p.chat_id ?? '')) ?? { type: 'commands' },
      getChat: (p) => this.getChat(p),
      getChatMember: (p) => this.getChatMember(p),
      getChatAdministrators: (p) => this.getChatAdministrators(p),
      leaveChat: (p) => this.leaveChat(p),
      getFile: (p) => this.files.getFile(String(p.file_id), this.nowMs()),
    };
  }

  /** The bot as `getMe` describes it. */
  get botInfo(): UserFromGetMe {
    return this.getMe();
  }

  /** Methods the emulator implements; other api.json methods answer 400 and are listed by `invalidCalls()`. */
  get emulatedMethods(): string[] {
    return Object.keys(this.handlers);
  }

  // ---------------------------------------------------------------- call handling

  /** Handles one Bot API call: injected failures, api.json validation, then the method itself; every call is logged. */
  async invoke(
    name: string,
    raw: Record<string, unknown>,
    context: { signal: AbortSignal; transport?: EmulatorCall['transport'] },
  ): Promise<CallOutcome> {
    const at = this.nowMs();
    const started = performance.now();
    const base = {
      method: name,
      params: raw,
      problems: [] as string[],
      warnings: [] as string[],
      injected: false,
      aborted: false,
      at,
      transport: context.transport ?? ('http' as const),
    };
    const record = (fields: Partial<EmulatorCall> & { ok: boolean }): void => {
      this.log.record({ ...base, ...fields, aborted: context.signal.aborted, durationMs: performance.now() - started });
    };
    const fail = (error: ApiError, extra: Partial<EmulatorCall> = {}): CallOutcome => {
      const body = error.toBody();
      record({
        ok: false,
        error_code: body.error_code,
        description: body.description,
        ...(body.parameters ? { parameters: body.parameters } : {}),
        ...(error.invalid ? { problems: error.options.problems ?? [body.description] } : {}),
        ...extra,
      });
      return { status: body.error_code, body };
    };

    const method = this.schema.canonicalMethod(name);
    if (!method) {
      return fail(new ApiError(404, 'Not Found', { invalid: true, problems: [`unknown method "${name}"`] }));
    }
    base.method = method;

    const failure = this.takeFailure(method, int(raw.chat_id));
    if (failure) {
      if (failure.delayMs) await sleep(failure.delayMs);
      if (failure.hang) {
        await this.hold(method, context.signal);
        record({ ok: false, injected: true, description: 'held without an answer' });
        return { destroySocket: true };
      }
      if (failure.network) {
        record({ ok: false, injected: true, description: 'network failure: socket destroyed' });
        return { destroySocket: true };
      }
      return fail(this.failureError(failure), { injected: true });
    }

    const { params, problems, unknown } = this.schema.validateCall(method, raw);
    base.params = params;
    base.warnings.push(...unknown.map((k) => `unknown parameter "${k}" (not in ${this.schema.version})`));
    if (problems.length > 0) {
      const first = problems[0] as Problem;
      return fail(
        new ApiError(400, `Bad Request: ${describeSchemaProblem(method, first)}`, {
          invalid: true,
          problems: problems.map((p) => `${p.path} ${p.message}`),
        }),
      );
    }

    const handler = this.handlers[method];
    if (!handler) {
      return fail(
        new ApiError(400, `Bad Request: method ${method} is not emulated`, {
          invalid: true,
          problems: [`${method} is in the Bot API but the emulator does not implement it`],
        }),
      );
    }
    try {
      const result: unknown = await handler(params, { warnings: base.warnings, signal: context.signal });
      record({ ok: true, result: clone(result) });
      // The network between a bot and Telegram: the answer arrives this much later.
      if (this.options.responseDelayMs && method !== 'getUpdates') await sleep(this.options.responseDelayMs);
      return { status: 200, body: { ok: true, result } };
    } catch (error) {
      if (error instanceof ApiError) return fail(error);
      const message = error instanceof Error ? error.message : String(error);
      return fail(new ApiError(500, 'Internal Server Error', { invalid: true, problems: [`emulator error: ${message}`] }));
    }
  }

  /** Logs a request the HTTP layer rejected before it reached a method (bad token, unreadable body). */
  recordRejected(method: string, error: ApiError, params: Record<string, unknown> = {}): void {
    const body = error.toBody();
    this.log.record({
      method,
      params,
      ok: false,
      error_code: body.error_code,
      description: body.description,
      problems: error.invalid ? (error.options.problems ?? [body.description]) : [],
      warnings: [],
      injected: false,
      aborted: false,
      at: this.nowMs(),
      durationMs: 0,
      transport: 'http',
    });
  }

  /** Makes the next call(s) of `method` (`'*'`: any method) fail instead of being processed. */
  failNext(method: string, failure: InjectedFailure = {}): void {
    const key = method === '*' ? '*' : (this.schema.canonicalMethod(method) ?? method);
    const list = this.failures.get(key) ?? [];
    list.push({ ...failure, times: failure.times ?? 1, ...(failure.forMs !== undefined ? { until: this.nowMs() + failure.forMs } : {}) });
    this.failures.set(key, list);
  }

  /** Methods of the calls held right now by a `hang` failure, in arrival order. */
  get heldCalls(): string[] {
    return [...this.held.values()].map((h) => h.method);
  }

  private takeFailure(method: string, chatId: number | undefined): InjectedFailure | undefined {
    for (const key of [method, '*']) {
      const list = this.failures.get(key);
      if (!list) continue;
      // expired outages go; then the first failure meant for this call (one aimed at a chat skips the others)
      for (let i = 0; i < list.length; ) {
        if (list[i]!.until !== undefined && this.nowMs() >= list[i]!.until!) list.splice(i, 1);
        else i++;
      }
      const index = list.findIndex((f) => f.chat_id === undefined || f.chat_id === chatId);
      const first = list[index];
      if (!first) continue;
      if (first.until !== undefined) return first;
      first.times = (first.times ?? 1) - 1;
      if (first.times <= 0) list.splice(index, 1);
      return first;
    }
    return undefined;
  }

  /** Resolves when the client abandons the call or the emulator shuts down. */
  private hold(method: string, signal: AbortSignal): Promise<void> {
    if (this.closed || signal.aborted) return Promise.resolve();
    const key = Symbol(method);
    return new Promise((resolve) => {
      const release = (): void => {
        this.held.delete(key);
        signal.removeEventListener('abort', release);
        resolve();
      };
      this.held.set(key, { method, release });
      signal.addEventListener('abort', release);
    });
  }

  private failureError(failure: InjectedFailure): ApiError {
    const code = failure.error_code ?? 500;
    const parameters: { retry_after?: number; migrate_to_chat_id?: number } = {};
    if (code === 429) parameters.retry_after = failure.retry_after ?? 1;
    else if (failure.retry_after !== undefined) parameters.retry_after = failure.retry_after;
    if (failure.migrate_to_chat_id !== undefined) parameters.migrate_to_chat_id = failure.migrate_to_chat_id;
    const description =
      failure.description ??
      (code === 429 ? `Too Many Requests: retry after ${parameters.retry_after}` : (DEFAULT_FAILURE_DESCRIPTIONS[code] ?? 'Error'));
    return new ApiError(code, description, Object.keys(parameters).length > 0 ? { parameters } : {});
  }

  // ---------------------------------------------------------------- helpers

  private nowMs(): number {
    return (this.options.now ?? Date.now)();
  }

  private nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  private botUser(): User {
    return { id: this.botId, is_bot: true, first_name: this.options.botFirstName ?? 'Citebot Test', username: this.username };
  }

  private get username(): string {
    return this.options.botUsername ?? 'citebot_test_bot';
  }

  private userFrom(input: UserInput | undefined): User {
    const u = input ?? DEFAULT_USER;
    const user: User = { id: u.id, is_bot: u.is_bot ?? false, first_name: u.first_name };
    if (u.last_name !== undefined) user.last_name = u.last_name;
    if (u.username !== undefined) user.username = u.username;
    if (u.language_code !== undefined) user.language_code = u.language_code;
    if (u.is_premium) user.is_premium = true;
    this.store.rememberUser(user);
    return user;
  }

  /** Finds or creates the chat a test refers to. */
  private chatFor(ref: ChatRef, from: User): ChatState {
    if (ref === 'private') {
      const chat = { id: from.id, type: 'private', first_name: from.first_name } as Chat.PrivateChat;
      if (from.last_name) chat.last_name = from.last_name;
      if (from.username) chat.username = from.username;
      return this.store.upsertChat(chat);
    }
    if (typeof ref === 'number') {
      const state = this.store.get(ref);
      if (!state) throw new Error(`chat ${ref} is unknown: describe it as { id, type, title } the first time`);
      return state;
    }
    const existing = this.store.get(ref.id);
    const chat: Record<string, unknown> = { id: ref.id, type: ref.type };
    if (ref.type === 'private') chat.first_name = ref.first_name ?? from.first_name;
    else chat.title = ref.title ?? (existing && 'title' in existing.chat ? existing.chat.title : undefined) ?? 'Test group';
    if (ref.username) chat.username = ref.username;
    if (ref.is_forum) chat.is_forum = true;
    const state = this.store.upsertChat(chat as unknown as Chat);
    if (!existing && ref.type === 'channel') state.botStatus = 'administrator';
    return state;
  }

  private requireChat(chatId: unknown): ChatState {
    const state = this.store.resolve(chatId);
    if (state) return state;
    if (typeof chatId === 'number' && this.store.user(chatId)) {
      throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
    }
    throw badRequest('chat not found');
  }

  private checkCanSend(state: ChatState): void {
    const type = state.chat.type;
    const kind = type === 'group' ? 'group chat' : type === 'supergroup' ? 'supergroup chat' : 'channel chat';
    if (type === 'private') {
      if (state.botStatus === 'kicked') throw new ApiError(403, 'Forbidden: bot was blocked by the user');
      return;
    }
    if (state.botStatus === 'kicked') throw new ApiError(403, `Forbidden: bot was kicked from the ${kind}`);
    if (state.botStatus === 'left') throw new ApiError(403, `Forbidden: bot is not a member of the ${kind}`);
    if (type === 'channel' && state.botStatus !== 'administrator' && state.botStatus !== 'creator') {
      throw badRequest('need administrator rights in the channel chat');
    }
  }

  private checkFlood(state: ChatState): void {
    const limits = this.flood;
    if (!limits) return;
    const now = this.nowMs();
    const recent = (times: number[], windowMs: number): number[] => times.filter((t) => now - t < windowMs);
    const wait = (times: number[], windowMs: number): number => Math.max(1, Math.ceil(((times[0] ?? now) + windowMs - now) / 1000));
    const chatSecond = recent(state.sentAt, 1000);
    const chatMinute = recent(state.sentAt, 60_000);
    const global = recent(this.globalSentAt, 1000);
    if (chatSecond.length >= limits.perChatPerSecond) throw tooManyRequests(wait(chatSecond, 1000));
    if (state.chat.type !== 'private' && chatMinute.length >= limits.perGroupPerMinute) throw tooManyRequests(wait(chatMinute, 60_000));
    if (global.length >= limits.globalPerSecond) throw tooManyRequests(wait(global, 1000));
    state.sentAt.splice(0, state.sentAt.length, ...chatMinute, now);
    this.globalSentAt.splice(0, this.globalSentAt.length, ...global, now);
  }

  private threadExists(state: ChatState, threadId: number): boolean {
    if (state.messages.has(threadId)) return true;
    for (const m of state.messages.values()) if (m.message_thread_id === threadId) return true;
    return false;
  }

  /** The forum topic's first message, created (undelivered) when a test writes in a topic nobody opened. */
  private ensureTopic(state: ChatState, threadId: number, from: User): Message {
    const existing = state.messages.get(threadId);
    if (existing) return existing;
    const root = {
      message_id: threadId,
      message_thread_id: threadId,
      from,
      chat: clone(state.chat),
      date: this.nowSeconds(),
      is_topic_message: true,
      forum_topic_created: { name: `Topic ${threadId}`, icon_color: 7322096 },
    } as unknown as Message;
    this.store.storeMessage(root);
    return root;
  }

  private visibility(message: Message): Visibility {
    return decideDelivery(message, {
      botId: this.botId,
      botUsername: this.username,
      privacyMode: this.privacyMode,
      botStatus: this.store.get(message.chat.id)?.botStatus ?? 'member',
    });
  }

  private deliver(type: string, payload: unknown, visibility: Visibility = { visible: true }): Delivery {
    if (!visibility.visible) return { delivered: false, reason: visibility.reason ?? 'not visible to the bot' };
    if (!this.queue.isAllowed(type)) return { delivered: false, reason: `allowed_updates does not include ${type}` };
    const update = this.queue.enqueue(type, payload);
    return { delivered: true, update_id: update.update_id };
  }

  private nextQueryId(): string {
    this.queryCounter++;
    return (BigInt(this.botId) * 1_000_000_000n + this.queryCounter).toString();
  }

  private chatInstance(chatId: number): string {
    return BigInt.asUintN(62, BigInt(chatId) * 2654435761n + BigInt(this.botId)).toString();
  }

  // ---------------------------------------------------------------- Bot API methods

  private getMe(): UserFromGetMe {
    return {
      id: this.botId,
      is_bot: true,
      first_name: this.options.botFirstName ?? 'Citebot Test',
      username: this.username,
      can_join_groups: this.options.canJoinGroups ?? true,
      can_read_all_group_messages: !this.privacyMode,
      supports_inline_queries: this.options.supportsInlineQueries ?? true,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
  }

  private getUpdates(p: Record<string, unknown>, scope: CallScope): Promise<Update[]> {
    if (this.webhook) throw new ApiError(409, WEBHOOK_CONFLICT);
    if (Array.isArray(p.allowed_updates)) this.setAllowedUpdates(p.allowed_updates as string[], scope);
    const offset = int(p.offset);
    if (offset !== undefined) this.queue.applyOffset(offset);
    const rawLimit = int(p.limit) ?? 100;
    const limit = rawLimit < 1 || rawLimit > 100 ? 100 : rawLimit;
    return this.queue.longPoll(limit, Math.max(0, int(p.timeout) ?? 0), scope.signal);
  }

  private setAllowedUpdates(types: string[], scope: CallScope): void {
    for (const t of types) if (!UPDATE_TYPES.has(t)) scope.warnings.push(`allowed_updates: unknown update type "${t}"`);
    this.queue.allowedUpdates = types;
  }

  private setWebhook(p: Record<string, unknown>, scope: CallScope): true {
    const url = str(p.url) ?? '';
    if (url === '') return this.deleteWebhook(p);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalidRequest('bad webhook: Failed to resolve host: Name or service not known', `url "${url}" is not a URL`);
    }
    if (parsed.protocol !== 'https:') {
      if (this.options.allowInsecureWebhook === false) throw invalidRequest('bad webhook: An HTTPS URL must be provided for webhook');
      scope.warnings.push('Telegram requires an https:// webhook URL; the emulator accepts http for local tests');
    }
    const secret = str(p.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw invalidRequest('secret token contains unallowed characters');
    }
    const maxConnections = int(p.max_connections) ?? 40;
    if (maxConnections < 1 || maxConnections > 100) throw invalidRequest('bad webhook: max_connections must be between 1 and 100');
    if (p.drop_pending_updates === true) this.queue.dropAll();
    if (Array.isArray(p.allowed_updates)) this.setAllowedUpdates(p.allowed_updates as string[], scope);
    if (this.queue.hasWaitingPoll) this.queue.endPoll(new ApiError(409, 'Conflict: terminated by setWebhook request'));
    this.webhook = { url, maxConnections, ...(secret !== undefined ? { secretToken: secret } : {}) };
    void this.runWebhook();
    return true;
  }

  private deleteWebhook(p: Record<string, unknown>): true {
    this.webhook = undefined;
    if (p.drop_pending_updates === true) this.queue.dropAll();
    return true;
  }

  private getWebhookInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      url: this.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.pending().length,
    };
    if (this.webhook) {
      info.max_connections = this.webhook.maxConnections;
      if (this.webhook.lastErrorDate !== undefined) {
        info.last_error_date = this.webhook.lastErrorDate;
        info.last_error_message = this.webhook.lastErrorMessage;
      }
    }
    if (this.queue.allowedUpdates) info.allowed_updates = this.queue.allowedUpdates;
    return info;
  }

  /** Delivers queued updates to the webhook one at a time; a non-2xx answer or a network error is retried. */
  private async runWebhook(): Promise<void> {
    if (this.webhookRunning || !this.webhook || this.closed) return;
    this.webhookRunning = true;
    try {
      for (;;) {
        const hook = this.webhook;
        const update = this.queue.pending()[0];
        if (!hook || !update || this.closed) break;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (hook.secretToken) headers['X-Telegram-Bot-Api-Secret-Token'] = hook.secretToken;
        let delivered = false;
        let reply: unknown;
        try {
          const response = await fetch(hook.url, {
            method: 'POST',
            headers,
            body: JSON.stringify(update),
            signal: this.webhookAbort.signal,
          });
          const text = await response.text();
          if (response.ok) {
            delivered = true;
            if (text.trim().startsWith('{')) reply = JSON.parse(text) as unknown;
          } else {
            hook.lastErrorMessage = `Wrong response from the webhook: ${response.status} ${response.statusText}`;
          }
        } catch (error) {
          if (this.closed) break;
          hook.lastErrorMessage = error instanceof Error ? `Connection failed: ${error.message}` : 'Connection failed';
        }
        if (!delivered) {
          hook.lastErrorDate = this.nowSeconds();
          await sleep(this.options.webhookRetryMs ?? 200);
          continue;
        }
        this.queue.confirm(update.update_id);
        if (reply && typeof reply === 'object' && typeof (reply as { method?: unknown }).method === 'string') {
          const { method, ...params } = reply as Record<string, unknown> & { method: string };
          await this.invoke(method, params, { signal: new AbortController().signal, transport: 'webhook-reply' });
        }
      }
    } finally {
      this.webhookRunning = false;
    }
  }

  private sendMessage(p: Record<string, unknown>, scope: CallScope): Message {
    const state = this.requireChat(p.chat_id);
    this.checkCanSend(state);
    const formatted = formatText(String(p.text), p.parse_mode, p.entities, scope.warnings);
    if (p.reply_markup) validateReplyMarkup(p.reply_markup, scope.warnings);

    let replyTo: Message | undefined;
    let quote: Record<string, unknown> | undefined;
    let rp = p.reply_parameters as Record<string, unknown> | undefined;
    if (!rp && p.reply_to_message_id !== undefined) {
      // removed from the docs in Bot API 7.0, still honoured by Telegram
      rp = { message_id: p.reply_to_message_id, allow_sending_without_reply: p.allow_sending_without_reply === true };
    }
    if (rp) {
      const target = rp.chat_id !== undefined ? this.store.resolve(rp.chat_id) : state;
      const replied = target?.messages.get(Number(rp.message_id));
      if (!replied) {
        if (rp.allow_sending_without_reply !== true) throw badRequest('message to be replied not found');
      } else if (target === state) {
        replyTo = replied;
        const quoteText = str(rp.quote);
        if (quoteText !== undefined) {
          const position = (replied.text ?? replied.caption ?? '').indexOf(quoteText);
          if (position < 0) throw badRequest('QUOTE_TEXT_INVALID');
          quote = { text: quoteText, position, is_manual: true };
        }
      } else {
        scope.warnings.push('replies to another chat are stored without external_reply details');
      }
    }

    let threadId = int(p.message_thread_id);
    const isForum = 'is_forum' in state.chat && state.chat.is_forum === true;
    if (isForum) {
      if (threadId === undefined && replyTo?.is_topic_message) threadId = replyTo.message_thread_id;
      if (threadId !== undefined && !this.threadExists(state, threadId)) throw badRequest('message thread not found');
      if (threadId !== undefined && !replyTo) replyTo = state.messages.get(threadId);
    } else if (state.chat.type === 'supergroup' && replyTo && threadId === undefined) {
      threadId = replyTo.message_thread_id ?? replyTo.message_id;
    }
    this.checkFlood(state);

    const message: Record<string, unknown> = { message_id: this.store.allocateMessageId(state) };
    if (threadId !== undefined) message.message_thread_id = threadId;
    message.from = this.botUser();
    message.chat = clone(state.chat);
    message.date = this.nowSeconds();
    if (isForum && threadId !== undefined) message.is_topic_message = true;
    if (replyTo) message.reply_to_message = asReplyTarget(replyTo);
    if (quote) message.quote = quote;
    message.text = formatted.text;
    if (formatted.entities.length > 0) message.entities = formatted.entities;
    if (p.link_preview_options) message.link_preview_options = p.link_preview_options;
    if (p.reply_markup && 'inline_keyboard' in (p.reply_markup as object)) message.reply_markup = p.reply_markup;
    this.store.storeMessage(message as unknown as Message);
    return clone(message as unknown as Message);
  }

  /** The message an edit method targets: by chat_id + message_id or by inline_message_id. */
  private editTarget(p: Record<string, unknown>, notFound: string): { state: ChatState; message: Message; inline: boolean } {
    const inlineId = str(p.inline_message_id);
    if (inlineId !== undefined) {
      const ref = this.store.inlineMessage(inlineId);
      const state = ref && this.store.get(ref.chatId);
      const message = ref && state?.messages.get(ref.messageId);
      if (!state || !message) throw badRequest('MESSAGE_ID_INVALID');
      return { state, message, inline: true };
    }
    if (p.chat_id === undefined) throw invalidRequest('chat_id is empty');
    if (p.message_id === undefined) throw invalidRequest('message identifier is not specified');
    const state = this.requireChat(p.chat_id);
    const message = state.messages.get(Number(p.message_id));
    if (!message) throw badRequest(notFound);
    const viaThisBot = message.via_bot?.id === this.botId;
    if (message.from?.id !== this.botId && !viaThisBot) throw badRequest("message can't be edited");
    return { state, message, inline: false };
  }

  private editMessageText(p: Record<string, unknown>, scope: CallScope): Message | true {
    if (p.text === undefined && p.rich_message !== undefined) {
      throw invalidRequest('rich_message is not emulated', 'editMessageText with rich_message is not emulated');
    }
    if (p.text === undefined) throw invalidRequest('message text is empty');
    const { message, inline } = this.editTarget(p, 'message to edit not found');
    if (message.text === undefined) throw badRequest('there is no text in the message to edit');
    const formatted = formatText(String(p.text), p.parse_mode, p.entities, scope.warnings);
    if (p.reply_markup) validateReplyMarkup(p.reply_markup, scope.warnings);
    const markup = p.reply_markup as InlineKeyboardMarkup | undefined;
    const same =
      message.text === formatted.text &&
      canonicalJson(message.entities ?? []) === canonicalJson(formatted.entities) &&
      canonicalJson(message.reply_markup ?? null) === canonicalJson(markup ?? null);
    if (same) throw badRequest(NOT_MODIFIED);
    const edited = message as Message & Record<string, unknown>;
    edited.text = formatted.text;
    if (formatted.entities.length > 0) edited.entities = formatted.entities;
    else delete edited.entities;
    if (markup) edited.reply_markup = clone(markup);
    else delete edited.reply_markup;
    if (p.link_preview_options) edited.link_preview_options = p.link_preview_options;
    edited.edit_date = this.nowSeconds();
    return inline ? true : clone(message);
  }

  private editMessageReplyMarkup(p: Record<string, unknown>, scope: CallScope): Message | true {
    const { message, inline } = this.editTarget(p, 'message to edit not found');
    if (p.reply_markup) validateReplyMarkup(p.reply_markup, scope.warnings);
    const markup = p.reply_markup as InlineKeyboardMarkup | undefined;
    if (canonicalJson(message.reply_markup ?? null) === canonicalJson(markup ?? null)) throw badRequest(NOT_MODIFIED);
    const edited = message as Message & Record<string, unknown>;
    if (markup) edited.reply_markup = clone(markup);
    else delete edited.reply_markup;
    edited.edit_date = this.nowSeconds();
    return inline ? true : clone(message);
  }

  private deleteMessage(p: Record<string, unknown>): true {
    const state = this.requireChat(p.chat_id);
    const message = state.messages.get(Number(p.message_id));
    if (!message) throw badRequest('message to delete not found');
    const own = message.from?.id === this.botId;
    const admin = state.botStatus === 'administrator' || state.botStatus === 'creator';
    if (!own && state.chat.type !== 'private' && !admin) throw badRequest("message can't be deleted");
    state.messages.delete(message.message_id);
    return true;
  }

  private sendChatAction(p: Record<string, unknown>): true {
    const state = this.requireChat(p.chat_id);
    this.checkCanSend(state);
    if (!CHAT_ACTIONS.has(String(p.action))) throw invalidRequest('wrong parameter action in request');
    return true;
  }

  private setMessageReaction(p: Record<string, unknown>): true {
    const state = this.requireChat(p.chat_id);
    if (!state.messages.has(Number(p.message_id))) throw badRequest('message to react not found');
    return true;
  }

  private openQuery(id: string, kind: QueryState['kind']): QueryState {
    const query = this.queries.get(id);
    const timeout = this.options.queryTimeoutMs ?? 15_000;
    if (!query || query.kind !== kind || query.answer || this.nowMs() - query.createdAt > timeout) {
      throw badRequest(QUERY_TOO_OLD);
    }
    return query;
  }

  private answerCallbackQuery(p: Record<string, unknown>): true {
    const text = str(p.text);
    if (text !== undefined && [...text].length > MAX_CALLBACK_ANSWER_CHARS) {
      throw invalidRequest('MESSAGE_TOO_LONG', `callback answer text is ${[...text].length} characters (at most 200)`);
    }
    const query = this.openQuery(String(p.callback_query_id), 'callback');
    query.answer = { at: this.nowMs(), params: clone(p) };
    return true;
  }

  private answerInlineQuery(p: Record<string, unknown>, scope: CallScope): true {
    const results = validateInlineAnswer(p, scope.warnings);
    const query = this.openQuery(String(p.inline_query_id), 'inline');
    query.answer = { at: this.nowMs(), params: clone(p) };
    query.results = results;
    return true;
  }

  private commandScopeKey(scope: Record<string, unknown> | undefined): string {
    const type = str(scope?.type) ?? 'default';
    if (type === 'chat' || type === 'chat_administrators' || type === 'chat_member') {
      const state = this.requireChat(scope?.chat_id);
      return type === 'chat_member' ? `${type}:${state.chat.id}:${String(scope?.user_id)}` : `${type}:${state.chat.id}`;
    }
    return type;
  }

  private languageCode(value: unknown): string {
    const code = str(value) ?? '';
    if (code !== '' && !/^[a-z]{2}$/.test(code)) throw invalidRequest('LANG_CODE_INVALID', `language_code "${code}" is not a two-letter ISO 639-1 code`);
    return code;
  }

  private setMyCommands(p: Record<string, unknown>): true {
    const commands = p.commands as BotCommand[];
    if (commands.length > 100) throw invalidRequest('BOT_COMMANDS_TOO_MUCH', `${commands.length} commands (at most 100)`);
    for (const c of commands) {
      if (!/^[a-z0-9_]{1,32}$/.test(c.command)) {
        throw invalidRequest('BOT_COMMAND_INVALID', `command "${c.command}" must be 1-32 characters a-z, 0-9 and _`);
      }
      const length = [...c.description.trim()].length;
      if (length < 1 || [...c.description].length > 256) {
        throw invalidRequest('BOT_COMMAND_DESCRIPTION_INVALID', `description of /${c.command} must be 1-256 characters`);
      }
    }
    const scope = p.scope as Record<string, unknown> | undefined;
    const language = this.languageCode(p.language_code);
    const scopeKey = this.commandScopeKey(scope);
    this.storedCommands.set(`${scopeKey}|${language}`, {
      scopeKey,
      scope: clone(scope ?? { type: 'default' }),
      language_code: language,
      commands: commands.map((c) => ({ command: c.command, description: c.description })),
    });
    return true;
  }

  private getMyCommands(p: Record<string, unknown>): BotCommand[] {
    const key = `${this.commandScopeKey(p.scope as Record<string, unknown> | undefined)}|${this.languageCode(p.language_code)}`;
    return clone(this.storedCommands.get(key)?.commands ?? []);
  }

  private deleteMyCommands(p: Record<string, unknown>): true {
    const key = `${this.commandScopeKey(p.scope as Record<string, unknown> | undefined)}|${this.languageCode(p.language_code)}`;
    this.storedCommands.delete(key);
    return true;
  }

  private setProfileText(field: string, value: unknown, language: unknown, max: number): true {
    const text = str(value) ?? '';
    if ([...text].length > max) throw invalidRequest(`${field} is too long`, `${field} is ${[...text].length} characters (at most ${max})`);
    this.profile.set(`${field}|${this.languageCode(language)}`, text);
    return true;
  }

  private getChat(p: Record<string, unknown>): Record<string, unknown> {
    const state = this.requireChat(p.chat_id);
    return {
      ...clone(state.chat),
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: {
        unlimited_gifts: false,
        limited_gifts: false,
        unique_gifts: false,
        premium_subscription: false,
        gifts_from_channels: false,
      },
    };
  }

  /** A ChatMember object of the given status, with every required permission flag filled from api.json. */
  private chatMember(user: User, status: ChatMemberStatus): Record<string, unknown> {
    const typeName = {
      creator: 'ChatMemberOwner',
      administrator: 'ChatMemberAdministrator',
      member: 'ChatMemberMember',
      restricted: 'ChatMemberRestricted',
      left: 'ChatMemberLeft',
      kicked: 'ChatMemberBanned',
    }[status];
    const member: Record<string, unknown> = { status, user: clone(user) };
    for (const field of this.schema.type(typeName)?.fields ?? []) {
      if (!field.required || field.name in member) continue;
      if (field.types.includes('Boolean')) {
        member[field.name] = status === 'administrator' ? !['can_be_edited', 'is_anonymous'].includes(field.name) : field.name === 'is_member';
      } else if (field.types.includes('Integer')) {
        member[field.name] = 0;
      }
    }
    return member;
  }

  private getChatMember(p: Record<string, unknown>): Record<string, unknown> {
    const state = this.requireChat(p.chat_id);
    const userId = Number(p.user_id);
    if (userId === this.botId) return this.chatMember(this.botUser(), state.botStatus);
    const user = this.store.user(userId);
    if (!user) throw badRequest('user not found');
    const status = state.members.get(userId) ?? (state.chat.type === 'private' && state.chat.id === userId ? 'member' : 'left');
    return this.chatMember(user, status);
  }

  private getChatAdministrators(p: Record<string, unknown>): Array<Record<string, unknown>> {
    const state = this.requireChat(p.chat_id);
    if (state.chat.type === 'private') throw badRequest('there are no administrators in the private chat');
    const admins: Array<Record<string, unknown>> = [];
    for (const [userId, status] of state.members) {
      const user = this.store.user(userId);
      if (user && (status === 'creator' || status === 'administrator')) admins.push(this.chatMember(user, status));
    }
    if (state.botStatus === 'administrator' || state.botStatus === 'creator') admins.push(this.chatMember(this.botUser(), state.botStatus));
    return admins;
  }

  private leaveChat(p: Record<string, unknown>): true {
    const state = this.requireChat(p.chat_id);
    if (state.chat.type === 'private') throw badRequest("chat member status can't be changed in private chats");
    state.botStatus = 'left';
    return true;
  }

  // ---------------------------------------------------------------- the users' side

  /** A user writes a message; the bot gets an update if Telegram would deliver it (privacy mode, allowed_updates). */
  sendUserMessage(input: UserMessageInput): InjectedMessage {
    return this.postUserMessage('sendUserMessage', input, (message) => {
      if (input.via_bot) message.via_bot = input.via_bot === true ? this.botUser() : this.userFrom(input.via_bot);
      const entities = input.entities ?? detectEntities(input.text);
      if (input.photo) {
        message.photo = photoSizes(message.message_id as number);
        message.caption = input.text;
        if (entities.length > 0) message.caption_entities = entities;
      } else {
        message.text = input.text;
        if (entities.length > 0) message.entities = entities;
      }
    });
  }

  /**
   * A user sends a file as a document, in the shape Telegram clients produce (`document` with
   * file_name, mime_type, file_id, file_unique_id and file_size; an optional caption). The bot can
   * then getFile it and download it from `/file/bot<token>/<file_path>`.
   */
  sendUserDocument(input: UserDocumentInput): InjectedDocument {
    const bytes = typeof input.bytes === 'string' ? Buffer.from(input.bytes, 'utf8') : Buffer.from(input.bytes);
    const ids = this.files.add(bytes, input.file_name);
    const injected = this.postUserMessage('sendUserDocument', input, (message) => {
      const document: Record<string, unknown> = {};
      if (input.file_name !== undefined) document.file_name = input.file_name;
      if (input.mime_type !== undefined) document.mime_type = input.mime_type;
      Object.assign(document, ids);
      if (input.file_size !== null) document.file_size = input.file_size ?? bytes.length;
      message.document = document;
      if (input.caption !== undefined) {
        message.caption = input.caption;
        const entities = detectEntities(input.caption);
        if (entities.length > 0) message.caption_entities = entities;
      }
    });
    return { ...injected, ...ids };
  }

  /** What sendUserMessage and sendUserDocument share: the chat, thread and reply, then the content `fill` adds. */
  private postUserMessage(
    caller: string,
    input: Omit<UserMessageInput, 'text' | 'entities' | 'via_bot'>,
    fill: (message: Record<string, unknown>) => void,
  ): InjectedMessage {
    const from = this.userFrom(input.from);
    const state = this.chatFor(input.chat ?? 'private', from);
    const isForum = 'is_forum' in state.chat && state.chat.is_forum === true;
    let replyTo: Message | undefined;
    if (input.replyTo !== undefined) {
      replyTo = state.messages.get(input.replyTo);
      if (!replyTo) throw new Error(`${caller}: message ${input.replyTo} does not exist in chat ${state.chat.id}`);
    }
    let threadId = input.threadId;
    if (isForum) {
      if (threadId === undefined && replyTo?.is_topic_message) threadId = replyTo.message_thread_id;
      if (threadId !== undefined) {
        const root = this.ensureTopic(state, threadId, from);
        replyTo ??= root;
      }
    } else if (state.chat.type === 'supergroup' && replyTo && threadId === undefined) {
      threadId = replyTo.message_thread_id ?? replyTo.message_id;
    }
    const message: Record<string, unknown> = { message_id: this.store.allocateMessageId(state) };
    if (threadId !== undefined) message.message_thread_id = threadId;
    if (state.chat.type === 'channel') message.sender_chat = clone(state.chat);
    else message.from = from;
    message.chat = clone(state.chat);
    message.date = this.nowSeconds();
    if (isForum && threadId !== undefined) message.is_topic_message = true;
    if (replyTo) message.reply_to_message = asReplyTarget(replyTo);
    fill(message);
    Object.assign(message, input.extra ?? {});
    const stored = message as unknown as Message;
    this.store.storeMessage(stored);
    const delivery = this.deliver(state.chat.type === 'channel' ? 'channel_post' : 'message', stored, this.visibility(stored));
    return { message: clone(stored), ...delivery };
  }

  /** A user edits one of their messages; the bot gets `edited_message` under the same rules as new messages. */
  editUserMessage(chatId: number, messageId: number, text: string, entities?: MessageEntity[]): InjectedMessage {
    const message = this.store.message(chatId, messageId) as (Message & Record<string, unknown>) | undefined;
    if (!message) throw new Error(`editUserMessage: message ${messageId} does not exist in chat ${chatId}`);
    if (message.from?.id === this.botId) throw new Error('editUserMessage: that message was sent by the bot');
    message.text = text;
    const detected = entities ?? detectEntities(text);
    if (detected.length > 0) message.entities = detected;
    else delete message.entities;
    message.edit_date = this.nowSeconds();
    const type = message.chat.type === 'channel' ? 'edited_channel_post' : 'edited_message';
    const delivery = this.deliver(type, message, this.visibility(message));
    return { message: clone(message), ...delivery };
  }

  /**
   * Queues a raw update (e.g. a captured fixture). Its messages are stored so that replies to them resolve,
   * its callback/inline query ids become answerable, and `my_chat_member` changes the bot's membership.
   * The update gets a fresh update_id unless `keepUpdateId`; it is delivered as is unless `applyPrivacy`.
   * `claimBotMessages` makes messages authored by some bot count as this bot's, so that the bot may edit them.
   * `withoutUpdateId` delivers it with no `update_id` (a broken server or proxy); it still holds its
   * place in the queue, and an offset past that place confirms it.
   */
  injectUpdate(
    raw: Record<string, unknown>,
    options: { keepUpdateId?: boolean; applyPrivacy?: boolean; claimBotMessages?: boolean; withoutUpdateId?: boolean } = {},
  ): Delivery & { problems: string[] } {
    const keys = Object.keys(raw).filter((k) => k !== 'update_id');
    const type = keys[0];
    if (keys.length !== 1 || type === undefined) throw new Error(`injectUpdate: an update has exactly one field besides update_id, got ${keys.join(', ')}`);
    const payload = clone(raw[type]) as Record<string, unknown>;
    const problems = this.schema.validateValue(raw, ['Update'], 'update').map((p) => `${p.path} ${p.message}`);
    const claim = (message: Record<string, unknown> | undefined): void => {
      const from = message?.from as User | undefined;
      if (options.claimBotMessages && from?.is_bot && !SYSTEM_SENDER_IDS.has(from.id) && message) message.from = this.botUser();
    };
    let visibility: Visibility = { visible: true };
    if (MESSAGE_UPDATE_TYPES.has(type)) {
      claim(payload);
      claim(payload.reply_to_message as Record<string, unknown> | undefined);
      const message = payload as unknown as Message;
      this.store.storeMessage(message);
      if (options.applyPrivacy) visibility = this.visibility(message);
    } else if (type === 'callback_query') {
      const message = payload.message as Record<string, unknown> | undefined;
      claim(message);
      if (message && message.date !== 0) this.store.storeMessage(message as unknown as Message);
      this.store.rememberUser(payload.from as User);
      this.queries.set(String(payload.id), { kind: 'callback', createdAt: this.nowMs(), from: payload.from as User });
    } else if (type === 'inline_query') {
      this.store.rememberUser(payload.from as User);
      this.queries.set(String(payload.id), {
        kind: 'inline',
        createdAt: this.nowMs(),
        from: payload.from as User,
        query: String(payload.query),
      });
    } else if (type === 'my_chat_member' || type === 'chat_member') {
      const chat = payload.chat as Chat;
      const state = this.store.upsertChat(chat);
      this.store.rememberUser(payload.from as User);
      const member = payload.new_chat_member as { status: ChatMemberStatus; user: User };
      if (type === 'my_chat_member') state.botStatus = member.status;
      else {
        this.store.rememberUser(member.user);
        state.members.set(member.user.id, member.status);
      }
    }
    if (!visibility.visible) return { delivered: false, reason: visibility.reason ?? 'not visible', problems };
    if (!this.queue.isAllowed(type)) return { delivered: false, reason: `allowed_updates does not include ${type}`, problems };
    const update = this.queue.enqueue(type, payload, options.keepUpdateId ? Number(raw.update_id) : undefined, { withoutUpdateId: options.withoutUpdateId });
    return { delivered: true, update_id: update.update_id, problems };
  }

  /** A user presses an inline keyboard button; returns the callback query id. */
  sendCallbackQuery(input: CallbackQueryInput): string {
    const from = this.userFrom(input.from);
    let message: Message | undefined;
    if (input.inline_message_id !== undefined) {
      const ref = this.store.inlineMessage(input.inline_message_id);
      message = ref && this.store.message(ref.chatId, ref.messageId);
      if (!message) throw new Error(`sendCallbackQuery: unknown inline message ${input.inline_message_id}`);
    } else {
      if (input.chat_id === undefined || input.message_id === undefined) {
        throw new Error('sendCallbackQuery: give chat_id and message_id, or inline_message_id');
      }
      message = this.store.message(input.chat_id, input.message_id);
      if (!message) throw new Error(`sendCallbackQuery: message ${input.message_id} does not exist in chat ${input.chat_id}`);
    }
    const buttons = message.reply_markup?.inline_keyboard.flat() ?? [];
    let data = input.data;
    if (input.buttonText !== undefined) {
      const button = buttons.find((b) => b.text === input.buttonText);
      if (!button || !('callback_data' in button)) {
        throw new Error(`sendCallbackQuery: no callback button labelled "${input.buttonText}" (buttons: ${buttons.map((b) => b.text).join(', ')})`);
      }
      data = button.callback_data;
    }
    if (data === undefined) throw new Error('sendCallbackQuery: give data or buttonText');
    if (!input.unchecked && !buttons.some((b) => 'callback_data' in b && b.callback_data === data)) {
      throw new Error(`sendCallbackQuery: message ${message.message_id} has no button with callback_data "${data}"`);
    }
    const id = this.nextQueryId();
    const query: Record<string, unknown> = { id, from };
    if (input.inline_message_id !== undefined) query.inline_message_id = input.inline_message_id;
    else query.message = clone(message);
    query.chat_instance = this.chatInstance(message.chat.id);
    query.data = data;
    this.queries.set(id, { kind: 'callback', createdAt: this.nowMs(), from });
    this.deliver('callback_query', query);
    return id;
  }

  /** A user types `@bot query`; returns the inline query id. Telegram passes the first 256 characters. */
  sendInlineQuery(input: InlineQueryInput): string {
    if (!(this.options.supportsInlineQueries ?? true)) throw new Error('sendInlineQuery: inline mode is off for this bot');
    const from = this.userFrom(input.from);
    const id = this.nextQueryId();
    const text = [...input.query].slice(0, 256).join('');
    const query: Record<string, unknown> = { id, from, query: text, offset: input.offset ?? '' };
    if (input.chat_type) query.chat_type = input.chat_type;
    this.queries.set(id, { kind: 'inline', createdAt: this.nowMs(), from, query: text });
    this.deliver('inline_query', query);
    return id;
  }

  /** The user picks one of the bot's inline results: the article's text is posted in a chat with `via_bot` = the bot. */
  chooseInlineResult(input: ChooseInlineResultInput): ChosenInlineResultOutcome {
    const query = this.queries.get(input.queryId);
    if (!query || query.kind !== 'inline') throw new Error(`chooseInlineResult: unknown inline query ${input.queryId}`);
    if (!query.results) throw new Error(`chooseInlineResult: the bot has not answered inline query ${input.queryId}`);
    const chosen = query.results.find((r) => r.id === input.resultId);
    if (!chosen) {
      throw new Error(`chooseInlineResult: no result "${input.resultId}" (ids: ${query.results.map((r) => r.id).join(', ')})`);
    }
    if (!chosen.message) throw new Error('chooseInlineResult: only results with a text input_message_content can be posted');
    const state = this.chatFor(input.chat ?? 'private', query.from);
    const message: Record<string, unknown> = {
      message_id: this.store.allocateMessageId(state),
      from: clone(query.from),
      chat: clone(state.chat),
      date: this.nowSeconds(),
      via_bot: this.botUser(),
      text: chosen.message.text,
    };
    if (chosen.message.entities.length > 0) message.entities = chosen.message.entities;
    if (chosen.result.reply_markup) message.reply_markup = clone(chosen.result.reply_markup);
    const stored = message as unknown as Message;
    this.store.storeMessage(stored);
    const inlineId = chosen.result.reply_markup
      ? this.store.createInlineMessage({ chatId: state.chat.id, messageId: stored.message_id })
      : undefined;
    const outcome: ChosenInlineResultOutcome = {
      message: clone(stored),
      message_delivery: this.deliver('message', stored, this.visibility(stored)),
      feedback_delivery: { delivered: false, reason: 'inline feedback is off (inlineFeedback option)' },
    };
    if (inlineId) outcome.inline_message_id = inlineId;
    if (this.options.inlineFeedback) {
      const feedback: Record<string, unknown> = { result_id: chosen.id, from: clone(query.from), query: query.query ?? '' };
      if (inlineId) feedback.inline_message_id = inlineId;
      outcome.feedback_delivery = this.deliver('chosen_inline_result', feedback);
    }
    return outcome;
  }

  /**
   * Changes the bot's membership in a chat and sends `my_chat_member` (plus, when the bot joins a group,
   * the `new_chat_members` service message). In a private chat `kicked` means the user blocked the bot.
   */
  setBotStatus(chat: ChatRef, status: ChatMemberStatus, by?: UserInput): Delivery {
    const from = this.userFrom(by);
    const state = this.chatFor(chat, from);
    const old = state.botStatus;
    state.botStatus = status;
    const delivery = this.deliver('my_chat_member', {
      chat: clone(state.chat),
      from,
      date: this.nowSeconds(),
      old_chat_member: this.chatMember(this.botUser(), old),
      new_chat_member: this.chatMember(this.botUser(), status),
    });
    const joined = (old === 'left' || old === 'kicked') && (status === 'member' || status === 'administrator');
    if (joined && (state.chat.type === 'group' || state.chat.type === 'supergroup')) {
      const service = {
        message_id: this.store.allocateMessageId(state),
        from,
        chat: clone(state.chat),
        date: this.nowSeconds(),
        new_chat_members: [this.botUser()],
      } as unknown as Message;
      this.store.storeMessage(service);
      this.deliver('message', service, this.visibility(service));
    }
    return delivery;
  }

  /** Sets a user's status in a chat (for getChatMember / getChatAdministrators); sends no update. */
  setChatMember(chat: ChatRef, user: UserInput, status: ChatMemberStatus): void {
    const u = this.userFrom(user);
    this.chatFor(chat, u).members.set(u.id, status);
  }

  // ---------------------------------------------------------------- readers

  get calls(): readonly EmulatorCall[] {
    return this.log.calls;
  }

  callsTo(method: string): EmulatorCall[] {
    return this.log.calls.filter((c) => c.method.toLowerCase() === method.toLowerCase());
  }

  /** Calls whose request was invalid: api.json types, limits, markup, HTML, unknown or unemulated methods. */
  invalidCalls(): EmulatorCall[] {
    return this.log.calls.filter((c) => c.problems.length > 0);
  }

  /** Calls answered with an error that no test injected (and that the client did not abandon). */
  failedCalls(): EmulatorCall[] {
    return this.log.calls.filter((c) => !c.ok && !c.injected && !c.aborted);
  }

  mark(): number {
    return this.log.mark();
  }

  waitForCall(method: string | null, predicate?: CallPredicate, options?: WaitOptions): Promise<EmulatorCall> {
    return this.log.waitFor(method, predicate, options);
  }

  /** Messages of a chat in id order, the bot's and the users' (copies). */
  messages(chatId: number): Message[] {
    const state = this.store.get(chatId);
    return state ? [...state.messages.values()].sort((a, b) => a.message_id - b.message_id).map(clone) : [];
  }

  pendingUpdates(): Update[] {
    return this.queue.pending();
  }

  get confirmedUpdateId(): number {
    return this.queue.confirmedUpdateId;
  }

  get lastUpdateId(): number {
    return this.queue.lastUpdateId;
  }

  /**
   * Numbers updates from `next` again (default 1), as Telegram does for a new token, or at random
   * after a week without updates; unconfirmed updates go with the old sequence. Use it while no
   * bot polls: what Telegram does with an offset from the old sequence is not emulated.
   */
  restartUpdateIds(next = 1): void {
    this.queue.restartIds(next);
  }

  get commands(): StoredCommands[] {
    return [...this.storedCommands.values()].map(clone);
  }

  /** What the bot answered to a callback or inline query, if it did. */
  queryAnswer(queryId: string): QueryAnswer | undefined {
    const answer = this.queries.get(queryId)?.answer;
    return answer && clone(answer);
  }

  /** The bytes a download URL serves (`/file/bot<token>/<file_path>`), or undefined for an unknown or expired path. */
  fileBytes(path: string): Buffer | undefined {
    return this.files.download(path, this.nowMs());
  }

  /** Stops the emulator's own activity: ends a waiting long poll (with no updates) and the webhook sender. */
  shutdown(): void {
    this.closed = true;
    for (const { release } of [...this.held.values()]) release();
    this.queue.endPoll();
    this.webhookAbort.abort();
  }
}

/** The HTTP face of the emulator: `/bot<token>/<method>` like api.telegram.org, plus `/__control/<op>` for test drivers. */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message } from 'grammy/types';
import { ApiError, invalidRequest } from './errors.ts';
import { TelegramEmulator } from './telegram-emulator.ts';
import type { ChatMemberStatus, EmulatorCall, EmulatorOptions, WaitOptions } from './types.ts';

const MAX_BODY_BYTES = 50 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'Request Entity Too Large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Text fields of a multipart/form-data body; file parts become `{ filename, size }`. */
function parseMultipart(body: Buffer, boundary: string): Record<string, unknown> {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, unknown> = {};
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="?([^";\r\n]*)"?/i.exec(headers)?.[1];
      if (name !== undefined) fields[name] = filename !== undefined ? { filename, size: content.length } : content.toString('utf8');
    }
    start = next;
  }
  return fields;
}

/** Parameters from the query string and the body (JSON, urlencoded or multipart), as the Bot API server accepts them. */
function parseParams(req: IncomingMessage, url: URL, body: Buffer): Record<string, unknown> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (body.length === 0) return params;
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  if (type === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    return { ...params, ...parseMultipart(body, (boundary?.[1] ?? boundary?.[2] ?? '').trim()) };
  }
  const parsed = JSON.parse(body.toString('utf8')) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the JSON body is not an object');
  return { ...params, ...(parsed as Record<string, unknown>) };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** True when every key of `pattern` is deep-equal in `value` (extra keys in `value` are fine). */
function isSubset(pattern: unknown, value: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return pattern === value;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && pattern.length === value.length && pattern.every((p, i) => isSubset(p, value[i]));
  }
  return Object.entries(pattern).every(([k, v]) => isSubset(v, (value as Record<string, unknown>)[k]));
}

type ControlArgs = Record<string, unknown>;
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));

/**
 * A running emulator: the emulated server plus its HTTP listener.
 * Create it with `startEmulator()`; point grammY at it with `client: { apiRoot: emu.apiRoot }`.
 */
export class Emulator extends TelegramEmulator {
  private readonly server: Server;
  private address: AddressInfo | undefined;
  private inFlight = 0;
  private closing: Promise<void> | undefined;
  private readonly control: Record<string, (args: ControlArgs) => unknown>;

  constructor(options: EmulatorOptions = {}) {
    super(options);
    this.server = createServer((req, res) => {
      this.inFlight++;
      this.route(req, res)
        .catch((error: unknown) => send(res, 500, { ok: false, error_code: 500, description: `emulator error: ${String(error)}` }))
        .finally(() => this.inFlight--);
    });
    this.server.keepAliveTimeout = 5000;
    this.control = this.controlOps();
  }

  /** Base URL for grammY's `client.apiRoot`, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  get apiRoot(): string {
    if (!this.address) throw new Error('the emulator is not listening yet: use startEmulator()');
    return `http://${this.address.address}:${this.address.port}`;
  }

  get port(): number {
    return this.address?.port ?? 0;
  }

  /** Starts listening; `startEmulator()` does this for you. */
  async listen(host = '127.0.0.1', port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
  }

  /** Waits for the bot's next successful sendMessage to `chatId` (after `since`, default now) and returns the message. */
  async waitForMessage(chatId: number, predicate?: (message: Message) => boolean, options?: WaitOptions): Promise<Message> {
    const call = await this.waitForCall(
      'sendMessage',
      (c) => c.ok && (c.result as Message).chat.id === chatId && (!predicate || predicate(c.result as Message)),
      options,
    );
    return call.result as Message;
  }

  /** Resolves once the bot has confirmed update `updateId` (grammY confirms a batch on its next getUpdates). */
  waitForConfirmation(updateId: number, options: { timeoutMs?: number } = {}): Promise<void> {
    return this.queue.waitForConfirmation(updateId, options.timeoutMs ?? 5000);
  }

  /**
   * Stops the emulator: a waiting long poll is answered with no updates, the webhook sender stops,
   * and every connection is closed. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.shutdown();
      const deadline = Date.now() + 500;
      while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
    })();
    return this.closing;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (url.pathname.startsWith('/__control/')) return this.routeControl(req, res, url);
    if (url.pathname.startsWith('/file/')) return this.routeFile(req, res, url);
    const match = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(400, 'Bad Request: unreadable request body');
      return send(res, apiError.errorCode, apiError.toBody());
    }
    if (!match) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const token = decodeURIComponent(match[1] ?? '');
    const method = decodeURIComponent(match[2] ?? '');
    if (token !== this.token) {
      const error = /^\d+:[\w-]+$/.test(token) ? new ApiError(401, 'Unauthorized') : new ApiError(404, 'Not Found');
      this.recordRejected(method, error);
      return send(res, error.errorCode, error.toBody());
    }
    let params: Record<string, unknown>;
    try {
      params = parseParams(req, url, body);
    } catch (error) {
      const apiError = invalidRequest("can't parse request JSON object", `unreadable body: ${String(error)}`);
      this.recordRejected(method, apiError);
      return send(res, 400, apiError.toBody());
    }
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const outcome = await this.invoke(method, params, { signal: abort.signal });
    if ('destroySocket' in outcome) {
      req.socket.destroy();
      return;
    }
    send(res, outcome.status, outcome.body);
  }

  /**
   * `GET /file/bot<token>/<file_path>`: the bytes of a file the bot asked getFile for, as
   * application/octet-stream; Telegram's JSON 404 for an unknown or expired path, 401 for a wrong token.
   */
  private async routeFile(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const match = /^\/file\/bot([^/]*)\/(.+)$/.exec(url.pathname);
    const token = decodeURIComponent(match?.[1] ?? '');
    if (!match || req.method !== 'GET') return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (token !== this.token) {
      const error = /^\d+:[\w-]+$/.test(token) ? new ApiError(401, 'Unauthorized') : new ApiError(404, 'Not Found');
      return send(res, error.errorCode, error.toBody());
    }
    const bytes = this.fileBytes(decodeURIComponent(match[2] ?? ''));
    if (!bytes) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    res.end(bytes);
  }

  private async routeControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const op = url.pathname.slice('/__control/'.length);
    const handler = this.control[op];
    if (!handler) return send(res, 404, { ok: false, error: `unknown control operation "${op}"`, operations: Object.keys(this.control) });
    try {
      const body = await readBody(req);
      const args: ControlArgs = { ...Object.fromEntries(url.searchParams) };
      if (body.length > 0) Object.assign(args, JSON.parse(body.toString('utf8')) as ControlArgs);
      const result = await handler(args);
      send(res, 200, { ok: true, result: result ?? null });
    } catch (error) {
      send(res, 400, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * The `/__control/<op>` operations: the same verbs as the in-process API, with JSON arguments
   * (POST body or query string). Answers `{ ok: true, result }` or `{ ok: false, error }` (400).
   * Over HTTP, `waitForCall` takes `{ method?, since?, timeoutMs?, match? }` where `match` is a partial
   * params object, and `since` defaults to 0: take it from `/__control/mark` before acting.
   */
  private controlOps(): Record<string, (args: ControlArgs) => unknown> {
    const filterCalls = (calls: readonly EmulatorCall[], a: ControlArgs): EmulatorCall[] =>
      calls.filter((c) => c.seq >= (num(a.since) ?? 0) && (a.method === undefined || c.method === a.method));
    return {
      state: () => ({
        apiRoot: this.apiRoot,
        bot: this.botInfo,
        privacyMode: this.privacyMode,
        mark: this.mark(),
        lastUpdateId: this.lastUpdateId,
        confirmedUpdateId: this.confirmedUpdateId,
        pendingUpdates: this.pendingUpdates().length,
        heldCalls: this.heldCalls,
        invalidCalls: this.invalidCalls().length,
        emulatedMethods: this.emulatedMethods,
      }),
      mark: () => this.mark(),
      calls: (a) => filterCalls(this.calls, a),
      invalidCalls: (a) => filterCalls(this.invalidCalls(), a),
      failedCalls: (a) => filterCalls(this.failedCalls(), a),
      messages: (a) => this.messages(Number(a.chat_id)),
      pendingUpdates: () => this.pendingUpdates(),
      commands: () => this.commands,
      queryAnswer: (a) => this.queryAnswer(String(a.query_id)),
      sendUserMessage: (a) => this.sendUserMessage(a as never),
      // The file's bytes travel as base64 in `bytes_base64`.
      sendUserDocument: (a) => this.sendUserDocument({ ...(a as never as object), bytes: Buffer.from(String(a.bytes_base64 ?? ''), 'base64') } as never),
      fileDownloads: () => this.files.downloads,
      editUserMessage: (a) => this.editUserMessage(Number(a.chat_id), Number(a.message_id), String(a.text), a.entities as never),
      injectUpdate: (a) => this.injectUpdate(a.update as Record<string, unknown>, (a.options ?? {}) as never),
      sendCallbackQuery: (a) => this.sendCallbackQuery(a as never),
      sendInlineQuery: (a) => this.sendInlineQuery(a as never),
      chooseInlineResult: (a) => this.chooseInlineResult(a as never),
      setBotStatus: (a) => this.setBotStatus(a.chat as never, a.status as ChatMemberStatus, a.by as never),
      setChatMember: (a) => {
        this.setChatMember(a.chat as never, a.user as never, a.status as ChatMemberStatus);
        return true;
      },
      setPrivacyMode: (a) => {
        this.privacyMode = a.on === true || a.on === 'true';
        return this.privacyMode;
      },
      restartUpdateIds: (a) => {
        this.restartUpdateIds(num(a.next) ?? 1);
        return true;
      },
      failNext: (a) => {
        this.failNext(String(a.method ?? '*'), (a.failure ?? {}) as never);
        return true;
      },
      waitForCall: (a) =>
        this.waitForCall(
          typeof a.method === 'string' ? a.method : null,
          a.match === undefined ? undefined : (c) => isSubset(a.match, c.params),
          { since: num(a.since) ?? 0, timeoutMs: num(a.timeoutMs) ?? 5000 },
        ),
      waitForConfirmation: (a) => this.waitForConfirmation(Number(a.update_id), { timeoutMs: num(a.timeoutMs) ?? 5000 }),
    };
  }
}

/**
 * Starts an emulator on 127.0.0.1 with a random port.
 *
 * @example
 * const emu = await startEmulator({ privacyMode: true });
 * const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
 * // ... drive it with emu.sendUserMessage(...) and emu.waitForMessage(...)
 * await emu.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new Emulator(options);
  await emulator.listen(options.host ?? '127.0.0.1', options.port ?? 0);
  return emulator;
}

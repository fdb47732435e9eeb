import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { webhookCallback, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../logger.ts';
import type { BotContext } from './context.ts';

export interface WebhookServerOptions {
  /** Path Telegram posts updates to (the path of WEBHOOK_URL). */
  path: string;
  /** Checked against X-Telegram-Bot-Api-Secret-Token; a request without it gets 401 and is not processed. */
  secret: string;
  logger: Logger;
  /** What the health endpoint reports besides `ok`. */
  health: () => Record<string, unknown>;
}

/** Path of the health endpoint, for load balancers. */
export const HEALTH_PATH = '/healthz';

/**
 * Largest request body accepted, in bytes. An update is at most a few tens of KiB: a 4,096-character
 * text (6 bytes a character even fully \u-escaped: 24 KiB), its entities, the message it replies to
 * with the same, a keyboard. 1 MiB leaves room for what Telegram adds later, while a client that
 * sends more is cut off before it costs more memory than that.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The HTTP server's limits, against slow or idle clients holding connections (slow-loris): Telegram
 * sends its headers and its small body at once, so a client that takes seconds over them is not
 * Telegram. Node's defaults (60 s for headers, 300 s for the request, checked every 30 s, no
 * connection cap) let a few hundred such connections sit for minutes.
 */
export const SERVER_LIMITS = {
  /** Until the headers are complete; the connection is then closed with 408. */
  headersTimeoutMs: 10_000,
  /** Until the whole request (headers and body) is in; handling time does not count. */
  requestTimeoutMs: 20_000,
  /** An idle kept-alive connection is closed after this (Node's default; a proxy in front must idle out sooner). */
  keepAliveTimeoutMs: 5_000,
  /** How often the two time-outs above are checked (Node: 30 s, which would let them run 3 times over). */
  checkIntervalMs: 1_000,
  /** Telegram sends about ten headers; a proxy adds a few. */
  maxHeadersCount: 100,
  /**
   * Connections at once, beyond which new ones are closed: Telegram opens at most 100 (setWebhook's
   * max_connections), and the rest of the process's file descriptors stay free for its calls to Telegram.
   */
  maxConnections: 256,
} as const;

/** After a 413, how long the rest of the body is read and dropped before the connection is cut, so the client can read the 413. */
const LINGER_MS = 2_000;

/**
 * The HTTP server of webhook mode: Telegram's updates on `path` (the secret checked before the body
 * is read, 401 otherwise; bodies over MAX_BODY_BYTES get 413; a body that is not an update is logged
 * and answered 200, as Telegram would otherwise send it forever), `GET`/`HEAD /healthz` for load
 * balancers, 404 for anything else. Stateless apart from the index in memory, so several instances
 * can run behind any load balancer.
 */
export function createWebhookServer(bot: Bot<BotContext>, options: WebhookServerOptions): Server {
  const handle = webhookCallback(bot, parsedUpdateAdapter, {
    // Telegram resends an update it got no answer for; better to answer late than twice.
    onTimeout: 'return',
    timeoutMilliseconds: 25_000,
  });
  const secretDigest = digest(options.secret);
  const server = createServer(
    {
      headersTimeout: SERVER_LIMITS.headersTimeoutMs,
      requestTimeout: SERVER_LIMITS.requestTimeoutMs,
      keepAliveTimeout: SERVER_LIMITS.keepAliveTimeoutMs,
      connectionsCheckingInterval: SERVER_LIMITS.checkIntervalMs,
    },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if ((req.method === 'GET' || req.method === 'HEAD') && path === HEALTH_PATH) {
        const body = JSON.stringify({ ok: true, ...options.health() });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      if (req.method !== 'POST' || path !== options.path) {
        res.writeHead(404).end();
        return;
      }
      const header = req.headers['x-telegram-bot-api-secret-token'];
      if (typeof header !== 'string' || !timingSafeEqual(digest(header), secretDigest)) {
        // Before the body is read: whoever lacks the secret costs nothing more.
        res.writeHead(401, { connection: 'close' }).end();
        return;
      }
      void receiveUpdate(req, res, options.logger, (update) => handle(update, res)).catch((error: unknown) => {
        options.logger.error({ error: (error as Error).message }, 'webhook request failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    },
  );
  server.maxHeadersCount = SERVER_LIMITS.maxHeadersCount;
  server.maxConnections = SERVER_LIMITS.maxConnections;
  return server;
}

/** Reads the body (up to MAX_BODY_BYTES), answers what is not an update, and hands an update on. */
async function receiveUpdate(req: IncomingMessage, res: ServerResponse, logger: Logger, handle: (update: Update) => Promise<void>): Promise<void> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === 'aborted') return; // the client went away: nobody to answer
  if (body === 'too large') {
    logger.warn({ limit: MAX_BODY_BYTES, contentLength: req.headers['content-length'] }, 'webhook body too large; refused');
    // Not `Connection: close`: Node would then destroy the socket as soon as the 413 is written,
    // and a client still sending gets a reset that can discard the 413 unread.
    res.writeHead(413).end();
    res.once('finish', () => setTimeout(() => req.socket.destroy(), LINGER_MS).unref());
    return;
  }
  const parsed = parseUpdate(body);
  if ('problem' in parsed) {
    logger.warn({ problem: parsed.problem, bytes: body.length }, 'webhook body is not an update; ignored');
    res.writeHead(200).end();
    return;
  }
  await handle(parsed.update);
  if (!res.headersSent) res.writeHead(200);
  res.end();
}

/**
 * The request body, or 'too large' as soon as the Content-Length or the bytes received so far pass
 * `limit` (the rest is then read and dropped, never kept), or 'aborted' when the client goes away.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too large' | 'aborted'> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    return Promise.resolve('too large');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      req.off('data', onData);
      req.resume(); // drops what still comes
      resolve('too large');
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', () => resolve('aborted'));
    req.once('close', () => {
      if (!req.complete) resolve('aborted');
    });
  });
}

/**
 * The update in a webhook body, or why it is none: not JSON, or not an object with a numeric
 * `update_id` whose other fields are objects (every update is one kind of payload object).
 */
export function parseUpdate(body: Buffer): { update: Update } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'not a JSON object' };
  const { update_id: id, ...payload } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return { problem: 'no update_id' };
  const notObject = Object.entries(payload).find(([, v]) => typeof v !== 'object' || v === null || Array.isArray(v));
  if (notObject) return { problem: `field ${notObject[0].slice(0, 64)} is not an object` };
  return { update: value as Update };
}

/** grammY's adapter for an update already read and checked: the secret is checked before reading. */
function parsedUpdateAdapter(update: Update, res: ServerResponse) {
  return {
    update,
    end: () => undefined, // receiveUpdate answers once handling is over
    respond: (json: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(json),
    unauthorized: () => res.writeHead(401).end(),
    handlerReturn: undefined,
  };
}

/** Equal-length digests, so comparing them takes the same time whatever the header holds. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

import { createServer, type Server } from 'node:http';
import { webhookCallback, type Bot } from 'grammy';
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
 * The HTTP server of webhook mode: Telegram's updates on `path` (secret checked by grammY, 401
 * otherwise), `GET /healthz` for load balancers, 404 for anything else. Stateless apart from the
 * index in memory, so several instances can run behind any load balancer.
 */
export function createWebhookServer(bot: Bot<BotContext>, options: WebhookServerOptions): Server {
  const handle = webhookCallback(bot, 'http', {
    secretToken: options.secret,
    // Telegram resends an update it got no answer for; better to answer late than twice.
    onTimeout: 'return',
    timeoutMilliseconds: 25_000,
  });
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === HEALTH_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, ...options.health() }));
      return;
    }
    if (req.method !== 'POST' || path !== options.path) {
      res.writeHead(404).end();
      return;
    }
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ error: (error as Error).message }, 'webhook request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}

import { redact } from './redact.ts';

/** Log levels pino understands. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The public Bot API; tests point the bot elsewhere with TELEGRAM_API_ROOT. */
export const DEFAULT_API_ROOT = 'https://api.telegram.org';

/** Everything the bot reads from its environment, checked. */
export interface Config {
  /** Absent when the bot should run as a console chat. */
  botToken: string | null;
  dataDir: string;
  apiRoot: string;
  logLevel: LogLevel;
  /** Folder for index snapshots, or null to always index at start-up. */
  indexCacheDir: string | null;
  /** Folder for the journal of handled updates, or null to keep none. */
  stateDir: string | null;
  /** Webhook mode when set; long polling otherwise. */
  webhook: WebhookConfig | null;
  /** Chats (and, for inline mode, users) the bot serves; null serves everyone. */
  allowedChatIds: Set<number> | null;
  /** Questions (messages, buttons, inline queries) one user may ask per minute; 0: no limit. */
  userRateLimit: number;
  /** Users who may use /stats and /reload; empty: nobody. */
  adminIds: ReadonlySet<number>;
}

/** Webhook mode: Telegram posts updates to `url`, the bot listens on `port`. */
export interface WebhookConfig {
  url: string;
  secret: string;
  port: number;
}

/** Where index snapshots go unless INDEX_CACHE_DIR says otherwise (git-ignored, like other tool caches). */
export const DEFAULT_INDEX_CACHE_DIR = 'node_modules/.cache/citebot';

/**
 * Where the journal of handled updates goes unless STATE_DIR says otherwise: next to the index
 * snapshots, git-ignored. Losing it only risks answering an update twice after a crash.
 */
export const DEFAULT_STATE_DIR = 'node_modules/.cache/citebot';

/** Bad configuration: every problem found, each with what to do about it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const TOKEN = /^\d+:[A-Za-z0-9_-]{30,}$/;

/** Reads the configuration from an environment, reporting every problem at once. Pure. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const botToken = value('BOT_TOKEN') ?? null;
  if (botToken !== null && !TOKEN.test(botToken)) {
    problems.push('BOT_TOKEN does not look like a bot token (digits, a colon, then at least 30 letters, digits, - or _): copy it again from @BotFather');
  }

  const apiRoot = (value('TELEGRAM_API_ROOT') ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
  try {
    const url = new URL(apiRoot);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    problems.push(`TELEGRAM_API_ROOT must be an http(s) URL such as ${DEFAULT_API_ROOT}; got "${apiRoot}"`);
  }

  const logLevel = (value('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}"`);
  }

  const webhook = parseWebhook(value, problems);
  const allowedChatIds = parseIdList('ALLOWED_CHAT_IDS', value('ALLOWED_CHAT_IDS'), problems, 'chat');
  const adminIds = parseIdList('ADMIN_IDS', value('ADMIN_IDS'), problems, 'user') ?? new Set<number>();
  const rateText = value('RATE_LIMIT_PER_MINUTE') ?? '20';
  const userRateLimit = Number(rateText);
  if (!Number.isInteger(userRateLimit) || userRateLimit < 0) {
    problems.push(`RATE_LIMIT_PER_MINUTE must be a whole number of questions per user per minute (0 for no limit); got "${rateText}"`);
  }

  // A token pasted into another variable would be echoed back in its problem: never write it.
  if (problems.length) throw new ConfigError(problems.map((problem) => redact(problem, [env.BOT_TOKEN])));
  const cache = value('INDEX_CACHE_DIR') ?? DEFAULT_INDEX_CACHE_DIR;
  const indexCacheDir = cache.toLowerCase() === 'off' ? null : cache;
  const state = value('STATE_DIR') ?? DEFAULT_STATE_DIR;
  const stateDir = state.toLowerCase() === 'off' ? null : state;
  return {
    botToken,
    dataDir: value('DATA_DIR') ?? 'data',
    apiRoot,
    logLevel: logLevel as LogLevel,
    indexCacheDir,
    stateDir,
    webhook,
    allowedChatIds,
    userRateLimit,
    adminIds,
  };
}

const SECRET = /^[A-Za-z0-9_-]{16,256}$/;

function parseWebhook(value: (name: string) => string | undefined, problems: string[]): WebhookConfig | null {
  const url = value('WEBHOOK_URL');
  const secret = value('WEBHOOK_SECRET');
  const portText = value('PORT') ?? '8080';
  if (!url) {
    if (secret) problems.push('WEBHOOK_SECRET is set but WEBHOOK_URL is not: set both for webhook mode, or neither for long polling');
    return null;
  }
  try {
    const parsed = new URL(url);
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
    if (parsed.protocol !== 'https:' && !(local && parsed.protocol === 'http:')) throw new Error('not https');
  } catch {
    problems.push(`WEBHOOK_URL must be the public https:// URL Telegram posts updates to; got "${url}"`);
  }
  if (!secret || !SECRET.test(secret)) {
    problems.push('WEBHOOK_SECRET must be 16–256 characters of A–Z, a–z, 0–9, _ and - (e.g. openssl rand -hex 32)');
  }
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`PORT must be a port number 1–65535; got "${portText}"`);
  return { url, secret: secret ?? '', port };
}

/** Comma-separated ids: chat ids (groups are negative) or user ids (positive). */
function parseIdList(name: string, text: string | undefined, problems: string[], kind: 'chat' | 'user'): Set<number> | null {
  if (!text) return null;
  const pattern = kind === 'chat' ? /^-?\d{1,15}$/ : /^\d{1,15}$/;
  const items = text.split(/[\s,]+/).filter(Boolean);
  const bad = items.filter((item) => !pattern.test(item));
  if (bad.length) {
    const example = kind === 'chat' ? 'chat ids separated by commas (e.g. 12345,-1001234567890)' : 'Telegram user ids separated by commas (e.g. 12345,67890; @userinfobot tells you yours)';
    problems.push(`${name} must be ${example}; not ids: ${bad.join(', ')}`);
  }
  return new Set(items.filter((item) => pattern.test(item)).map(Number));
}

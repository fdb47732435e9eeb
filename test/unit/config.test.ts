import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_API_ROOT, DEFAULT_INDEX_CACHE_DIR, DEFAULT_STATE_DIR, parseConfig } from '../../src/config.ts';

const TOKEN = `123456789:${'A'.repeat(35)}`;

/** The ConfigError parseConfig throws for `env`; fails the test when it does not throw one. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('uses defaults for an empty environment, with no token', () => {
    expect(parseConfig({})).toEqual({
      botToken: null,
      dataDir: 'data',
      apiRoot: DEFAULT_API_ROOT,
      logLevel: 'info',
      indexCacheDir: DEFAULT_INDEX_CACHE_DIR,
      stateDir: DEFAULT_STATE_DIR,
      webhook: null,
      allowedChatIds: null,
      userRateLimit: 20,
      adminIds: new Set(),
    });
  });

  it('treats blank values as unset', () => {
    expect(parseConfig({ BOT_TOKEN: '  ', DATA_DIR: '', LOG_LEVEL: ' ', TELEGRAM_API_ROOT: '' })).toEqual(parseConfig({}));
  });

  it('reads every setting', () => {
    expect(
      parseConfig({ BOT_TOKEN: ` ${TOKEN} `, DATA_DIR: '/srv/docs', TELEGRAM_API_ROOT: 'http://localhost:8081/', LOG_LEVEL: 'DEBUG' }),
    ).toEqual({
      botToken: TOKEN,
      dataDir: '/srv/docs',
      apiRoot: 'http://localhost:8081',
      logLevel: 'debug',
      indexCacheDir: DEFAULT_INDEX_CACHE_DIR,
      stateDir: DEFAULT_STATE_DIR,
      webhook: null,
      allowedChatIds: null,
      userRateLimit: 20,
      adminIds: new Set(),
    });
  });

  it('reports every problem at once', () => {
    const error = configError({ BOT_TOKEN: 'not-a-token', TELEGRAM_API_ROOT: 'ftp://example.org', LOG_LEVEL: 'loud' });
    expect(error.problems).toHaveLength(3);
    expect(error.problems[0]).toMatch(/BOT_TOKEN/);
    expect(error.problems[1]).toMatch(/TELEGRAM_API_ROOT/);
    expect(error.problems[2]).toMatch(/LOG_LEVEL/);
    for (const problem of error.problems) expect(error.message).toContain(problem);
  });

  it('does not repeat the bad token in its message', () => {
    const error = configError({ BOT_TOKEN: '12345:short-secret' });
    expect(error.problems).toHaveLength(1);
    expect(error.message).not.toContain('short-secret');
  });

  it('rejects an API root that is not a URL', () => {
    expect(configError({ TELEGRAM_API_ROOT: 'not a url' }).problems).toEqual([expect.stringMatching(/TELEGRAM_API_ROOT.*not a url/)]);
  });

  it('accepts every pino log level', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      expect(parseConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    }
  });
});

describe('INDEX_CACHE_DIR', () => {
  it('names the snapshot folder, and "off" turns snapshots off', () => {
    expect(parseConfig({ INDEX_CACHE_DIR: '/tmp/x' }).indexCacheDir).toBe('/tmp/x');
    expect(parseConfig({ INDEX_CACHE_DIR: 'off' }).indexCacheDir).toBeNull();
  });
});

describe('STATE_DIR', () => {
  it('names the folder of the update journal, and "off" keeps none', () => {
    expect(parseConfig({ STATE_DIR: '/var/lib/citebot' }).stateDir).toBe('/var/lib/citebot');
    expect(parseConfig({ STATE_DIR: 'OFF' }).stateDir).toBeNull();
  });
});

describe('webhook settings', () => {
  const secret = 's3cret-s3cret-s3cret';

  it('turn webhook mode on with a URL, a secret and a port', () => {
    expect(parseConfig({ WEBHOOK_URL: 'https://bot.example.org/tg', WEBHOOK_SECRET: secret, PORT: '9000' }).webhook).toEqual({
      url: 'https://bot.example.org/tg',
      secret,
      port: 9000,
    });
    expect(parseConfig({ WEBHOOK_URL: 'https://bot.example.org/tg', WEBHOOK_SECRET: secret }).webhook?.port).toBe(8080);
  });

  it('name every webhook problem at once', () => {
    const error = configError({ WEBHOOK_URL: 'http://bot.example.org/tg', WEBHOOK_SECRET: 'short', PORT: '99999' });
    expect(error.problems).toHaveLength(3);
    expect(error.problems.join('\n')).toMatch(/WEBHOOK_URL[\s\S]*WEBHOOK_SECRET[\s\S]*PORT/);
  });

  it('refuse a secret without a URL', () => {
    expect(configError({ WEBHOOK_SECRET: secret }).problems[0]).toMatch(/WEBHOOK_URL/);
  });
});

describe('ADMIN_IDS', () => {
  it('reads user ids, and rejects anything else with the rest of the problems', () => {
    expect(parseConfig({ ADMIN_IDS: '12345, 67890' }).adminIds).toEqual(new Set([12345, 67890]));
    const error = configError({ ADMIN_IDS: '12345,-100123,@me', ALLOWED_CHAT_IDS: 'group', LOG_LEVEL: 'loud' });
    expect(error.problems).toHaveLength(3);
    expect(error.problems.find((p) => p.startsWith('ADMIN_IDS'))).toMatch(/user ids.*not ids: -100123, @me$/);
  });
});

describe('ALLOWED_CHAT_IDS', () => {
  it('lists the chats the bot serves, and names entries that are not ids', () => {
    expect(parseConfig({ ALLOWED_CHAT_IDS: '12345, -1001234567890' }).allowedChatIds).toEqual(new Set([12345, -1001234567890]));
    expect(configError({ ALLOWED_CHAT_IDS: '12345,@group' }).problems[0]).toMatch(/@group/);
  });
});

describe('parseConfig never repeats the token pasted into another variable', () => {
  const secretPart = TOKEN.split(':')[1]!;
  const PLACES = ['ADMIN_IDS', 'ALLOWED_CHAT_IDS', 'LOG_LEVEL', 'TELEGRAM_API_ROOT', 'WEBHOOK_URL', 'PORT', 'RATE_LIMIT_PER_MINUTE'];
  it.each(PLACES)('%s, with BOT_TOKEN set to it or unset', (name) => {
    for (const env of [{ BOT_TOKEN: TOKEN, [name]: TOKEN }, { [name]: TOKEN }, { BOT_TOKEN: TOKEN, [name]: `12,${TOKEN} ` }]) {
      // PORT and WEBHOOK_URL are read in webhook mode only.
      const webhook = name === 'PORT' ? { WEBHOOK_URL: 'https://example.org/hook' } : {};
      const error = configError({ WEBHOOK_SECRET: 'x'.repeat(16), ...webhook, ...env });
      expect(error.problems.join('\n')).toMatch(new RegExp(name));
      expect(error.message).toContain('[redacted]');
      expect(error.message).not.toContain(secretPart);
    }
  });

  it('a malformed BOT_TOKEN too, when it is pasted elsewhere', () => {
    const error = configError({ BOT_TOKEN: '42:not-long-enough-secret', ADMIN_IDS: '42:not-long-enough-secret' });
    expect(error.message).not.toContain('not-long-enough-secret');
  });
});

/** Webhook mode: updates arrive over HTTP with the secret; the health endpoint; back to polling. */
import { beforeAll, describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS } from '../support/bot-process.ts';
import { DEFAULT_USER } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';
import { spawnWebhookBot, WEBHOOK_SECRET as SECRET } from '../support/webhook.ts';

let port: number;

const t = useBot({ emulator: { webhookRetryMs: 200 }, start: false });

beforeAll(async () => {
  const started = await spawnWebhookBot(t.emu);
  t.adopt(started.bot);
  port = started.port;
}, E2E_TIMEOUT_MS);

describe('webhook mode', { timeout: E2E_TIMEOUT_MS }, () => {
  it('registers the webhook with its secret and the update types it handles', () => {
    const call = t.emu.callsTo('setWebhook').at(-1)!;
    expect(call.ok).toBe(true);
    expect(call.params).toMatchObject({ url: `http://127.0.0.1:${port}/telegram`, secret_token: SECRET });
    expect(call.params.allowed_updates).toEqual(['message', 'callback_query', 'inline_query']);
  });

  it('answers questions delivered to the webhook', async () => {
    const since = t.emu.mark();
    const { message } = t.emu.sendUserMessage({ text: 'China-Kyrgyzstan-Uzbekistan railway' });
    const call = await t.emu.waitForCall('sendMessage', (c) => c.params.chat_id === DEFAULT_USER.id, { since, timeoutMs: 10_000 });
    expect(call.ok).toBe(true);
    expect(call.params.reply_parameters).toMatchObject({ message_id: message.message_id });
    expect(String(call.params.text)).toMatch(/<b>railway<\/b>/i);
  });

  it('answers 401 without processing to a request lacking the right secret', async () => {
    const since = t.emu.mark();
    const update = { update_id: 999_001, message: { message_id: 1, date: 1, chat: { id: DEFAULT_USER.id, type: 'private' }, from: DEFAULT_USER, text: 'railway' } };
    const attempts: Record<string, string>[] = [{}, { 'X-Telegram-Bot-Api-Secret-Token': 'wrong-secret-wrong-secret' }];
    for (const headers of attempts) {
      const res = await fetch(`http://127.0.0.1:${port}/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(401);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage')).toEqual([]);
  });

  it('serves a health endpoint for load balancers', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, passages: 22 });
    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
  });

  it('stops cleanly on SIGTERM, and polling mode deletes the webhook again', async () => {
    expect(await t.bot.stop()).toBe(0);
    const since = t.emu.mark();
    await t.start();
    expect(t.emu.calls.slice(since).some((c) => c.method === 'deleteWebhook' && c.ok)).toBe(true);
    expect(await t.bot.stop()).toBe(0);
    t.expectCleanRun();
  });
});

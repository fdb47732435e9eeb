/**
 * Webhook mode under faults and hostile clients: replies Telegram refuses (403, 400), bodies too
 * large or not updates, connections that dribble their headers or body. The webhook answers what
 * Telegram must not send again with 200, refuses the rest early, and keeps answering real updates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, logLines, waitForLog } from '../support/bot-process.ts';
import { sendAndWaitForReply } from '../support/e2e.ts';
import type { UserInput } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';
import { RawConnection, spawnWebhookBot, WEBHOOK_SECRET } from '../support/webhook.ts';

const ASKER: UserInput = { id: 610001, first_name: 'Asker', language_code: 'en' };
const NEXT: UserInput = { id: 610002, first_name: 'Next', language_code: 'en' };
/** The slow-client tests wait for the server's 10 s and 20 s time-outs; this bounds a hang, it measures nothing. */
const SLOW_TEST_MS = 90_000;

const t = useBot({ emulator: { webhookRetryMs: 200 }, start: false });
let port: number;

beforeAll(async () => {
  const started = await spawnWebhookBot(t.emu);
  t.adopt(started.bot);
  port = started.port;
}, E2E_TIMEOUT_MS);

/** sendMessage calls to `chatId` since `since`, and how each ended. */
const sendsTo = (chatId: number, since: number) =>
  t.emu.calls
    .slice(since)
    .filter((c) => c.method === 'sendMessage' && c.params.chat_id === chatId)
    .map((c) => (c.ok ? `ok: ${String(c.params.text).slice(0, 20)}` : `${c.error_code}${c.injected ? ' injected' : ''}`));

/** The next user asks; resolves once answered (the emulator delivers webhook updates in order, one at a time). */
const expectNextAnswered = (text = 'railway') => sendAndWaitForReply(t.emu, { from: NEXT, text });

const post = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${port}/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET, ...headers },
    body,
  });

describe('replies Telegram refuses, in webhook mode', { timeout: E2E_TIMEOUT_MS }, () => {
  it.each([
    ['403 (blocked by the user)', 403, 'Forbidden: bot was blocked by the user'],
    ['400 chat not found', 400, 'Bad Request: chat not found'],
  ])('%s: logged at info, answered 200 so Telegram does not send it again, and the next update is answered', async (_name, code, description) => {
    const since = t.emu.mark();
    const logFrom = t.bot.stderr.length;
    t.emu.failNext('sendMessage', { error_code: code, description });
    const asked = t.emu.sendUserMessage({ from: ASKER, text: 'railway' });
    await expectNextAnswered();
    // Delivered again (after a 500) it would have been answered the second time.
    expect(sendsTo(ASKER.id, since)).toEqual([`${code} injected`]);
    const line = await waitForLog(t.bot, (l) => l.msg === 'chat unreachable' && l.update_id === asked.update_id);
    expect(line).toMatchObject({ level: 30, chat: ASKER.id, description });
    expect(logLines(t.bot.stderr.slice(logFrom)).map((l) => l.msg)).not.toContain('webhook request failed');
  });

  it('any other refusal (400): logged as an error, the user gets an apology, 200, and the next update is answered', async () => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { error_code: 400, description: 'Bad Request: CHAT_WRITE_FORBIDDEN' });
    const asked = t.emu.sendUserMessage({ from: ASKER, text: 'railway' });
    await expectNextAnswered('trade');
    expect(sendsTo(ASKER.id, since)).toEqual(['400 injected', expect.stringMatching(/^ok: Sorry, something/)]);
    await waitForLog(t.bot, (l) => l.msg === 'update failed' && l.update_id === asked.update_id);
  });
});

describe('hostile requests to the webhook', { timeout: E2E_TIMEOUT_MS }, () => {
  it('HEAD /healthz answers 200 with the headers of GET and no body', async () => {
    const conn = new RawConnection(port);
    await conn.write('HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    const { received, status } = await conn.waitForClose(10_000);
    conn.destroy();
    expect(status).toBe(200);
    const [head, body] = received.split('\r\n\r\n');
    expect(head).toMatch(/content-type: application\/json/i);
    const length = Number(/content-length: (\d+)/i.exec(head!)?.[1]);
    const get = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(length).toBe((await get.text()).length);
    expect(body).toBe('');
  });

  it('a body that is not an update: logged at warn, answered 200 (not sent again), and the bot answers on', async () => {
    const logFrom = t.bot.stderr.length;
    const bodies = ['{"update_id": 1, "message": {"text": "unterminated', 'null', '[]', '42', '{"message": {}}', '{"update_id": 7, "message": "hello"}', '\u00ff\u00fe'];
    for (const body of bodies) expect((await post(body)).status).toBe(200);
    await expectNextAnswered();
    const warned = logLines(t.bot.stderr.slice(logFrom)).filter((l) => l.msg === 'webhook body is not an update; ignored');
    expect(warned).toHaveLength(bodies.length);
    expect(warned.every((l) => l.level === 40)).toBe(true);
    expect(t.bot.alive).toBe(true);
  });

  it('a 128 MiB Content-Length is refused with 413 before any of the body is sent', async () => {
    const conn = new RawConnection(port);
    await conn.write(
      `POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `X-Telegram-Bot-Api-Secret-Token: ${WEBHOOK_SECRET}\r\nContent-Length: ${128 * 1024 * 1024}\r\n\r\n`,
    );
    const { status, closedByServer } = await conn.waitForClose(15_000);
    conn.destroy();
    expect(status).toBe(413);
    expect(closedByServer).toBe(true);
    await expectNextAnswered();
  });

  it('a body streamed without a length is refused with 413 once it passes the limit, and the bot answers on', async () => {
    const conn = new RawConnection(port);
    await conn.write(
      `POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `X-Telegram-Bot-Api-Secret-Token: ${WEBHOOK_SECRET}\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let sent = 0;
    // Up to 32 MiB: the server must answer long before; a server that reads it all answers only after the end.
    while (conn.state.status === undefined && sent < 32 * 1024 * 1024 && (await conn.write(frame))) sent += chunk.length;
    if (conn.state.status === undefined) await conn.write('0\r\n\r\n');
    const { status } = await conn.waitForClose(15_000);
    conn.destroy();
    expect(status).toBe(413);
    expect(sent).toBeLessThan(32 * 1024 * 1024);
    await waitForLog(t.bot, (l) => l.msg === 'webhook body too large; refused' && l.contentLength === undefined);
    await expectNextAnswered('trade');
  });

  it(
    'connections that dribble their headers, their body, or send nothing are closed, and real updates are answered meanwhile',
    { timeout: SLOW_TEST_MS },
    async () => {
      const GIVE_UP_MS = 60_000;
      const started = Date.now();
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      /** Sends `first`, then one piece every second until the server closes the connection or the client gives up. */
      const dribble = async (first: string, piece: (i: number) => string) => {
        const conn = new RawConnection(port);
        await conn.write(first);
        for (let i = 0; !conn.state.closedByServer && Date.now() - started < GIVE_UP_MS; i++) {
          await pause(1_000);
          await conn.write(piece(i));
        }
        const state = conn.state;
        conn.destroy();
        return state;
      };
      const request = 'POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\n';
      const slowHeaders = Array.from({ length: 8 }, () => dribble(request, (i) => `X-Slow-${i}: y\r\n`));
      const slowBodies = Array.from({ length: 4 }, () =>
        dribble(`${request}X-Telegram-Bot-Api-Secret-Token: ${WEBHOOK_SECRET}\r\nContent-Length: 1000\r\n\r\n{`, () => ' '),
      );
      const silent = Array.from({ length: 4 }, async () => {
        const conn = new RawConnection(port);
        const state = await conn.waitForClose(GIVE_UP_MS);
        conn.destroy();
        return state;
      });
      // Real updates get through while those connections are open.
      await expectNextAnswered();
      await expectNextAnswered('trade');
      const ended = await Promise.all([...slowHeaders, ...slowBodies, ...silent]);
      expect(ended.map((e) => e.closedByServer)).toEqual(ended.map(() => true));
      // The dribbling ones are told why: 408 Request Timeout.
      expect(ended.slice(0, 12).map((e) => e.status)).toEqual(ended.slice(0, 12).map(() => 408));
      await expectNextAnswered('cooperation');
      expect(t.bot.alive).toBe(true);
    },
  );

  it('logged no errors but the refused 400 above, made only valid calls, and never wrote its token', () => {
    t.expectCleanRun({ errors: [expect.objectContaining({ msg: 'update failed', method: 'sendMessage', error_code: 400 })] });
  });
});

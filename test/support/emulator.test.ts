import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, HttpError } from 'grammy';
import type { Message, Update } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_USER, type Emulator, FILE_LINK_TTL_MS, loadSchema, MAX_DOWNLOAD_BYTES, parseHtml, startEmulator } from './emulator.ts';
import { hasShared, SHARED, TELEGRAM_UPDATES as FIXTURES } from './fixtures.ts';

/** Shared material beside the checkout: only the check that the vendored schema is in step needs it. */
const SHARED_TELEGRAM = new URL('telegram/', SHARED);
const hasSharedSpec = hasShared && existsSync(new URL('api.json', SHARED_TELEGRAM));

const GROUP = { id: -1001234567890, type: 'supergroup', title: 'Readers' } as const;
const OTHER_USER = { id: 200002, first_name: 'Bo', username: 'bo_test' };

let emu: Emulator;

/** Calls the emulator like a bare HTTP client would, returning status and parsed JSON. */
async function call(method: string, params?: Record<string, unknown>, token = emu.token) {
  const res = await fetch(`${emu.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params ?? {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { ok: boolean; result?: unknown } };
}

/** A grammY Bot pointed at the emulator (not started). */
const grammyBot = (): Bot => new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });

/** Puts a private text message in the default user's chat and returns the chat id. */
function privateChat(): number {
  return emu.sendUserMessage({ text: 'hello' }).message.chat.id;
}

beforeEach(async () => {
  emu = await startEmulator();
});

afterEach(async () => {
  await emu.close();
});

describe('HTTP surface', () => {
  it('answers getMe with the configured bot, over fetch and grammY', async () => {
    const { status, body } = await call('getMe');
    expect(status).toBe(200);
    expect(body.result).toMatchObject({
      is_bot: true,
      username: 'citebot_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
    });
    const me = await grammyBot().api.getMe();
    expect(me.username).toBe('citebot_test_bot');
    await emu.close();
    emu = await startEmulator({ botUsername: 'other_bot', privacyMode: false, token: '42:abc' });
    const other = await grammyBot().api.getMe();
    expect(other).toMatchObject({ id: 42, username: 'other_bot', can_read_all_group_messages: true });
  });

  it('rejects a wrong token with 401 and an unknown method with 404, in Telegram’s shape', async () => {
    expect(await call('getMe', {}, '123:wrong')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(await call('sendMesage', { chat_id: 1, text: 'x' })).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found' },
    });
    await expect(grammyBot().api.raw.getMe()).resolves.toBeTruthy();
    const wrong = new Bot('123:wrong', { client: { apiRoot: emu.apiRoot } });
    await expect(wrong.api.getMe()).rejects.toMatchObject({ error_code: 401 });
    expect(emu.invalidCalls().map((c) => c.method)).toEqual(['sendMesage']);
  });

  it('accepts query-string and urlencoded parameters and matches method names case-insensitively', async () => {
    const chatId = privateChat();
    const viaQuery = await fetch(`${emu.apiRoot}/bot${emu.token}/sendmessage?chat_id=${chatId}&text=${encodeURIComponent('<b>q</b>')}&parse_mode=HTML`);
    expect(((await viaQuery.json()) as { result: Message }).result.entities).toEqual([{ type: 'bold', offset: 0, length: 1 }]);
    const form = await fetch(`${emu.apiRoot}/bot${emu.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(chatId),
        text: 'form',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }),
      }),
    });
    expect(form.status).toBe(200);
    expect(emu.callsTo('sendMessage').at(-1)?.params).toMatchObject({ chat_id: chatId, reply_markup: { inline_keyboard: [[{ text: 'A' }]] } });
  });

  it('rejects a call without a required parameter and lists it in invalidCalls()', async () => {
    const { status, body } = await call('sendMessage', { text: 'no chat' });
    expect(status).toBe(400);
    expect(body).toEqual({ ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' });
    expect(await call('sendMessage', { chat_id: 1, text: 'x', reply_parameters: { message_id: 'one' } })).toMatchObject({ status: 400 });
    expect(emu.invalidCalls().map((c) => c.problems)).toEqual([
      ['chat_id is required'],
      ['reply_parameters.message_id must be of type Integer'],
    ]);
  });

  it('checks nested objects against api.json (keyboards, command scopes, inline results)', async () => {
    const chatId = privateChat();
    const noText = await call('sendMessage', { chat_id: chatId, text: 'x', reply_markup: { inline_keyboard: [[{ callback_data: 'a' }]] } });
    expect(noText.status).toBe(400);
    expect(emu.invalidCalls().at(-1)?.problems).toEqual(['reply_markup.inline_keyboard[0][0].text is required']);
    const badScope = await call('setMyCommands', { commands: [{ command: 'ask', description: 'Ask' }], scope: { type: 'everyone' } });
    expect(badScope.status).toBe(400);
    expect(emu.invalidCalls().at(-1)?.problems[0]).toMatch(/^scope\.type must be one of default, all_private_chats/);
  });

  it('rejects strings with a cut surrogate pair, as Telegram rejects invalid UTF-8', async () => {
    const chatId = privateChat();
    const cut = '😀'.slice(0, 1);
    const { body } = await call('sendMessage', { chat_id: chatId, text: `a${cut}` });
    expect(body.description).toBe('Bad Request: strings must be encoded in UTF-8');
  });
});

describe('getUpdates', () => {
  it('re-delivers an update until the bot confirms it with offset', async () => {
    const { update_id } = emu.sendUserMessage({ text: 'first' });
    const first = await call('getUpdates', { timeout: 0 });
    const again = await call('getUpdates', { offset: update_id });
    expect((first.body.result as Update[]).map((u) => u.update_id)).toEqual([update_id]);
    expect((again.body.result as Update[]).map((u) => u.update_id)).toEqual([update_id]);
    expect(emu.confirmedUpdateId).toBe(0);
    const after = await call('getUpdates', { offset: (update_id ?? 0) + 1 });
    expect(after.body.result).toEqual([]);
    expect(emu.confirmedUpdateId).toBe(update_id);
    expect(emu.pendingUpdates()).toEqual([]);
  });

  it('holds a long poll until an update arrives, and honours timeout and limit', async () => {
    const started = Date.now();
    const empty = await call('getUpdates', { timeout: 1 });
    expect(empty.body.result).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const pending = call('getUpdates', { timeout: 5 });
    await new Promise((r) => setTimeout(r, 50));
    const { update_id } = emu.sendUserMessage({ text: 'wake up' });
    const woken = await pending;
    expect((woken.body.result as Update[]).map((u) => u.update_id)).toEqual([update_id]);

    emu.sendUserMessage({ text: 'two' });
    emu.sendUserMessage({ text: 'three' });
    const limited = await call('getUpdates', { offset: (update_id ?? 0) + 1, limit: 1 });
    expect(limited.body.result).toHaveLength(1);
  });

  it('terminates the older poll with 409 when a second getUpdates arrives', async () => {
    const older = call('getUpdates', { timeout: 5 });
    await new Promise((r) => setTimeout(r, 50));
    const newer = call('getUpdates', { timeout: 0 });
    expect(await older).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      },
    });
    expect((await newer).status).toBe(200);
  });

  it('filters by allowed_updates, which Telegram remembers between calls', async () => {
    await call('getUpdates', { allowed_updates: ['callback_query'] });
    const skipped = emu.sendUserMessage({ text: 'ignored' });
    expect(skipped).toMatchObject({ delivered: false, reason: 'allowed_updates does not include message' });
    await call('getUpdates', { allowed_updates: [] });
    expect(emu.sendUserMessage({ text: 'back' }).delivered).toBe(true);
  });

  it('can deliver an update without its update_id, which an offset past its place confirms', async () => {
    const before = emu.sendUserMessage({ text: 'before' });
    const broken = emu.injectUpdate({ message: { message_id: 900, date: 0, chat: { id: 5, type: 'private' }, text: 'x' } }, { withoutUpdateId: true });
    const updates = (await call('getUpdates', { timeout: 0 })).body.result as Array<Partial<Update>>;
    expect(updates.map((u) => u.update_id)).toEqual([before.update_id, undefined]);
    await call('getUpdates', { offset: broken.update_id! + 1, timeout: 0 });
    expect(emu.pendingUpdates()).toEqual([]);
  });

  it('starts the update ids again on request, as Telegram does for a new token', async () => {
    emu.sendUserMessage({ text: 'one' });
    emu.sendUserMessage({ text: 'two' });
    emu.restartUpdateIds(1);
    expect(emu.pendingUpdates()).toEqual([]);
    expect(emu.sendUserMessage({ text: 'again' }).update_id).toBe(1);
    const updates = (await call('getUpdates', { timeout: 0 })).body.result as Update[];
    expect(updates.map((u) => u.update_id)).toEqual([1]);
  });

  it('answers a waiting long poll when the emulator closes', async () => {
    const pending = call('getUpdates', { timeout: 30 });
    await new Promise((r) => setTimeout(r, 50));
    await emu.close();
    expect((await pending).body).toEqual({ ok: true, result: [] });
  });

  it('runs a grammY bot end to end with long polling and stops cleanly', async () => {
    const bot = grammyBot();
    bot.command('start', (ctx) => ctx.reply('<b>Welcome</b>', { parse_mode: 'HTML' }));
    bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`, { reply_parameters: { message_id: ctx.message.message_id } }));
    const running = bot.start({ timeout: 1 });
    const start = emu.sendUserMessage({ text: '/start' });
    const welcome = await emu.waitForMessage(DEFAULT_USER.id);
    expect(welcome).toMatchObject({ text: 'Welcome', entities: [{ type: 'bold', offset: 0, length: 7 }] });
    const echo = emu.sendUserMessage({ text: 'hi' });
    const reply = await emu.waitForMessage(DEFAULT_USER.id);
    expect(reply.reply_to_message?.message_id).toBe(echo.message.message_id);
    await emu.waitForConfirmation(start.update_id ?? 0);
    await bot.stop();
    await running;
    expect(emu.invalidCalls()).toEqual([]);
    expect(emu.failedCalls()).toEqual([]);
    expect(emu.pendingUpdates()).toEqual([]);
  });
});

describe('a bot in a child process', () => {
  it('talks to the emulator over HTTP and stops on SIGTERM', async () => {
    const script = `
      import { Bot } from 'grammy';
      const bot = new Bot(process.env.BOT_TOKEN, { client: { apiRoot: process.env.TELEGRAM_API_ROOT } });
      bot.command('ping', (ctx) => ctx.reply('<i>pong</i>', { parse_mode: 'HTML' }));
      process.once('SIGTERM', () => void bot.stop());
      await bot.start({ timeout: 1 });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { ...process.env, BOT_TOKEN: emu.token, TELEGRAM_API_ROOT: emu.apiRoot },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      emu.sendUserMessage({ text: '/ping' });
      const pong = await emu.waitForMessage(DEFAULT_USER.id, undefined, { timeoutMs: 10_000 });
      expect(pong.entities).toEqual([{ type: 'italic', offset: 0, length: 4 }]);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(emu.invalidCalls()).toEqual([]);
      expect(emu.pendingUpdates()).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('sendMessage and editMessageText', () => {
  it('reports HTML errors with TDLib’s wording', async () => {
    const chatId = privateChat();
    const cases: Array<[string, string]> = [
      ['<p>x</p>', 'Unsupported start tag "p" at byte offset 0'],
      ['a < b', 'Unsupported start tag "" at byte offset 2'],
      ['<b>x</i>', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
      ['<b>bold', 'Can\'t find end tag corresponding to start tag "b"'],
      ['x</b>', 'Unexpected end tag at byte offset 1'],
      ['<span>s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
      ['é<a href=x y>', 'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 2'],
    ];
    for (const [text, reason] of cases) {
      const { status, body } = await call('sendMessage', { chat_id: chatId, text, parse_mode: 'HTML' });
      expect(status).toBe(400);
      expect(body.description).toBe(`Bad Request: can't parse entities: ${reason}`);
    }
    expect(emu.invalidCalls()).toHaveLength(cases.length);
  });

  it('accepts Telegram’s full HTML set and returns the parsed entities', async () => {
    const chatId = privateChat();
    const html =
      '<b>b <i>bi <u>biu</u></i></b> <s>s</s> <tg-spoiler>sp</tg-spoiler> <a href="https://example.com">link</a> ' +
      '<code>c</code> <pre><code class="language-ts">let x;</code></pre> <blockquote expandable>q</blockquote> 1 &lt; 2 &amp;&amp; A&B &#x1F600;';
    const { status, body } = await call('sendMessage', { chat_id: chatId, text: html, parse_mode: 'HTML' });
    expect(status).toBe(200);
    const message = body.result as Message;
    expect(message.text).toBe('b bi biu s sp link c let x; q 1 < 2 && A&B 😀');
    expect(message.entities).toEqual([
      { type: 'bold', offset: 0, length: 8 },
      { type: 'italic', offset: 2, length: 6 },
      { type: 'underline', offset: 5, length: 3 },
      { type: 'strikethrough', offset: 9, length: 1 },
      { type: 'spoiler', offset: 11, length: 2 },
      { type: 'text_link', offset: 14, length: 4, url: 'https://example.com/' },
      { type: 'code', offset: 19, length: 1 },
      { type: 'pre', offset: 21, length: 6, language: 'ts' },
      { type: 'expandable_blockquote', offset: 28, length: 1 },
    ]);
  });

  it('measures the 4096 limit in UTF-16 units after parsing and trimming', async () => {
    const chatId = privateChat();
    expect((await call('sendMessage', { chat_id: chatId, text: 'a'.repeat(4096) })).status).toBe(200);
    const tooLong = await call('sendMessage', { chat_id: chatId, text: 'a'.repeat(4097) });
    expect(tooLong.body.description).toBe('Bad Request: message is too long');
    expect(emu.invalidCalls().at(-1)?.problems).toEqual(['text is 4097 UTF-16 code units after entity parsing (at most 4096)']);
    expect((await call('sendMessage', { chat_id: chatId, text: `<b>${'a'.repeat(4000)}</b>`, parse_mode: 'HTML' })).status).toBe(200);
    expect((await call('sendMessage', { chat_id: chatId, text: `${'a'.repeat(4096)}\n\n  ` })).status).toBe(200);
    expect((await call('sendMessage', { chat_id: chatId, text: '😀'.repeat(2049) })).body.description).toBe('Bad Request: message is too long');
    expect((await call('sendMessage', { chat_id: chatId, text: ' <b> </b>\n', parse_mode: 'HTML' })).body.description).toBe(
      'Bad Request: message text is empty',
    );
  });

  it('rejects a reply to a missing message unless allow_sending_without_reply', async () => {
    const chatId = privateChat();
    const missing = await call('sendMessage', { chat_id: chatId, text: 'x', reply_parameters: { message_id: 999 } });
    expect(missing.body.description).toBe('Bad Request: message to be replied not found');
    const allowed = await call('sendMessage', {
      chat_id: chatId,
      text: 'x',
      reply_parameters: { message_id: 999, allow_sending_without_reply: true },
    });
    expect((allowed.body.result as Message).reply_to_message).toBeUndefined();
    const unknownChat = await call('sendMessage', { chat_id: 5, text: 'x' });
    expect(unknownChat.body.description).toBe('Bad Request: chat not found');
    emu.sendUserMessage({ chat: GROUP, from: OTHER_USER, text: 'hi all' });
    const notStarted = await call('sendMessage', { chat_id: OTHER_USER.id, text: 'psst' });
    expect(notStarted.body).toMatchObject({ error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" });
  });

  it('refuses an edit that changes nothing, and accepts one that changes the keyboard', async () => {
    const chatId = privateChat();
    const keyboard = { inline_keyboard: [[{ text: 'More', callback_data: 'more:1' }]] };
    const sent = (await call('sendMessage', { chat_id: chatId, text: '<b>Hi</b>', parse_mode: 'HTML', reply_markup: keyboard })).body
      .result as Message;
    const same = await call('editMessageText', {
      chat_id: chatId,
      message_id: sent.message_id,
      text: '<b>Hi</b>',
      parse_mode: 'HTML',
      reply_markup: keyboard,
    });
    expect(same.body.description).toBe(
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    const plain = await call('editMessageText', { chat_id: chatId, message_id: sent.message_id, text: 'Hi', reply_markup: keyboard });
    expect(plain.status).toBe(200);
    const dropKeyboard = await call('editMessageText', { chat_id: chatId, message_id: sent.message_id, text: 'Hi' });
    expect((dropKeyboard.body.result as Message).reply_markup).toBeUndefined();
    expect((dropKeyboard.body.result as Message).edit_date).toBeTypeOf('number');
    const missing = await call('editMessageText', { chat_id: chatId, message_id: 999, text: 'x' });
    expect(missing.body.description).toBe('Bad Request: message to edit not found');
    const usersMessage = await call('editMessageText', { chat_id: chatId, message_id: 1, text: 'x' });
    expect(usersMessage.body.description).toBe("Bad Request: message can't be edited");
  });

  it('limits callback_data to 64 bytes of UTF-8', async () => {
    const chatId = privateChat();
    const send = (data: string) =>
      call('sendMessage', { chat_id: chatId, text: 'k', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: data }]] } });
    expect((await send('x'.repeat(64))).status).toBe(200);
    expect((await send('я'.repeat(32))).status).toBe(200);
    expect((await send('x'.repeat(65))).body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect((await send('я'.repeat(33))).body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    const textOnly = await call('sendMessage', { chat_id: chatId, text: 'k', reply_markup: { inline_keyboard: [[{ text: 'b' }]] } });
    expect(textOnly.body.description).toBe("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  });

  it('keeps message_thread_id in forum topics and rejects unknown topics', async () => {
    const forum = { id: -1009, type: 'supergroup', title: 'Forum', is_forum: true } as const;
    const asked = emu.sendUserMessage({ chat: forum, text: '/ask x', threadId: 7 });
    expect(asked.message).toMatchObject({ message_thread_id: 7, is_topic_message: true, reply_to_message: { message_id: 7 } });
    const reply = await call('sendMessage', { chat_id: forum.id, text: 'answer', reply_parameters: { message_id: asked.message.message_id } });
    expect(reply.body.result).toMatchObject({ message_thread_id: 7, is_topic_message: true });
    const lost = await call('sendMessage', { chat_id: forum.id, text: 'x', message_thread_id: 4242 });
    expect(lost.body.description).toBe('Bad Request: message thread not found');
  });

  it('parses MarkdownV2 strictly', async () => {
    const chatId = privateChat();
    const bad = await call('sendMessage', { chat_id: chatId, text: 'Done.', parse_mode: 'MarkdownV2' });
    expect(bad.body.description).toBe("Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'");
    const good = await call('sendMessage', { chat_id: chatId, text: '*Done*\\.', parse_mode: 'MarkdownV2' });
    expect(good.body.result).toMatchObject({ text: 'Done.', entities: [{ type: 'bold', offset: 0, length: 4 }] });
  });
});

describe('callback and inline queries', () => {
  it('lets a callback query be answered once, with at most 200 characters', async () => {
    const chatId = privateChat();
    const sent = (await call('sendMessage', { chat_id: chatId, text: 'k', reply_markup: { inline_keyboard: [[{ text: 'Next', callback_data: 'p:2' }]] } }))
      .body.result as Message;
    expect(() => emu.sendCallbackQuery({ chat_id: chatId, message_id: sent.message_id, data: 'p:3' })).toThrow(/no button/);
    const id = emu.sendCallbackQuery({ chat_id: chatId, message_id: sent.message_id, buttonText: 'Next' });
    const update = emu.pendingUpdates().at(-1);
    expect(update?.callback_query).toMatchObject({ id, data: 'p:2', message: { message_id: sent.message_id } });
    expect((await call('answerCallbackQuery', { callback_query_id: id, text: 'x'.repeat(201) })).body.description).toBe(
      'Bad Request: MESSAGE_TOO_LONG',
    );
    expect((await call('answerCallbackQuery', { callback_query_id: id, text: 'ok' })).status).toBe(200);
    const twice = await call('answerCallbackQuery', { callback_query_id: id });
    expect(twice.body.description).toBe('Bad Request: query is too old and response timeout expired or query ID is invalid');
    expect(emu.queryAnswer(id)?.params).toMatchObject({ text: 'ok' });
  });

  it('validates inline answers: 50 results, unique ids, parsed message text, one answer per query', async () => {
    const article = (id: string, text = 'answer') => ({
      type: 'article',
      id,
      title: `Result ${id}`,
      input_message_content: { message_text: text, parse_mode: 'HTML' },
    });
    const id = emu.sendInlineQuery({ query: 'quota' });
    const many = Array.from({ length: 51 }, (_, i) => article(String(i)));
    expect((await call('answerInlineQuery', { inline_query_id: id, results: many })).body.description).toBe('Bad Request: RESULTS_TOO_MUCH');
    const dup = [article('a'), article('a')];
    expect((await call('answerInlineQuery', { inline_query_id: id, results: dup })).body.description).toBe('Bad Request: RESULT_ID_DUPLICATE');
    const broken = [article('a', '<b>unclosed')];
    expect((await call('answerInlineQuery', { inline_query_id: id, results: broken })).body.description).toMatch(/^Bad Request: can't parse entities/);
    const noTitle = [{ type: 'article', id: 'x', input_message_content: { message_text: 'x' } }];
    expect((await call('answerInlineQuery', { inline_query_id: id, results: noTitle })).status).toBe(400);
    const ok = await call('answerInlineQuery', {
      inline_query_id: id,
      results: [article('a', '<b>A</b>'), article('b')],
      cache_time: 0,
      next_offset: '2',
      button: { text: 'Open the bot', start_parameter: 'inline' },
    });
    expect(ok.status).toBe(200);
    expect((await call('answerInlineQuery', { inline_query_id: id, results: [] })).body.description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
    expect(emu.queryAnswer(id)?.params.cache_time).toBe(0);
    const chosen = emu.chooseInlineResult({ queryId: id, resultId: 'a' });
    expect(chosen.message).toMatchObject({ text: 'A', entities: [{ type: 'bold' }], via_bot: { id: emu.botInfo.id } });
  });

  it('posts a chosen result with a keyboard as an inline message the bot can edit', async () => {
    const id = emu.sendInlineQuery({ query: 'q', chat_type: 'group' });
    const keyboard = { inline_keyboard: [[{ text: 'Sources', callback_data: 'src:1' }]] };
    const result = { type: 'article', id: 'r', title: 'R', input_message_content: { message_text: 'short' }, reply_markup: keyboard };
    await call('answerInlineQuery', { inline_query_id: id, results: [result] });
    const chosen = emu.chooseInlineResult({ queryId: id, resultId: 'r', chat: GROUP });
    expect(chosen.message_delivery.delivered).toBe(true);
    const inlineId = chosen.inline_message_id ?? '';
    const queryId = emu.sendCallbackQuery({ inline_message_id: inlineId, data: 'src:1' });
    expect(emu.pendingUpdates().at(-1)?.callback_query).toMatchObject({ id: queryId, inline_message_id: inlineId });
    const edited = await call('editMessageText', { inline_message_id: inlineId, text: 'long <a href="javascript:alert(1)">x</a>', parse_mode: 'HTML' });
    expect(edited.body).toEqual({ ok: true, result: true });
    expect(emu.callsTo('editMessageText')[0]?.warnings).toEqual(['link "javascript:alert(1)" is not a valid URL: Telegram silently drops the text_link']);
    expect(emu.messages(GROUP.id).at(-1)).toMatchObject({ text: 'long x', via_bot: { id: emu.botInfo.id } });
  });

  it('runs inline mode through grammY', async () => {
    const bot = grammyBot();
    bot.on('inline_query', (ctx) =>
      ctx.answerInlineQuery([{ type: 'article', id: '1', title: 'T', input_message_content: { message_text: ctx.inlineQuery.query } }], {
        cache_time: 10,
      }),
    );
    const running = bot.start({ timeout: 1 });
    const id = emu.sendInlineQuery({ query: 'x'.repeat(300) });
    const answered = await emu.waitForCall('answerInlineQuery');
    expect(answered.ok).toBe(true);
    expect(emu.chooseInlineResult({ queryId: id, resultId: '1' }).message.text).toHaveLength(256);
    await bot.stop();
    await running;
  });
});

describe('group privacy mode', () => {
  it('with privacy on, delivers commands for this bot, replies to it and messages via it; not mentions', async () => {
    const deliveredText = (text: string) => emu.sendUserMessage({ chat: GROUP, text }).delivered;
    expect(deliveredText('/ask what is 共同现代化')).toBe(true);
    expect(deliveredText('/ask@citebot_test_bot what')).toBe(true);
    expect(deliveredText('/ask@other_bot what')).toBe(false);
    expect(deliveredText('@citebot_test_bot what is this')).toBe(false);
    expect(deliveredText('just chatting')).toBe(false);
    expect(deliveredText('not a /command at the start')).toBe(false);

    const botMessage = (await call('sendMessage', { chat_id: GROUP.id, text: 'I am the bot' })).body.result as Message;
    expect(emu.sendUserMessage({ chat: GROUP, text: 'thanks', replyTo: botMessage.message_id }).delivered).toBe(true);
    const chatter = emu.sendUserMessage({ chat: GROUP, from: OTHER_USER, text: 'hmm' });
    expect(emu.sendUserMessage({ chat: GROUP, text: 'me too', replyTo: chatter.message.message_id }).delivered).toBe(false);
    expect(emu.sendUserMessage({ chat: GROUP, text: 'shared', via_bot: true }).delivered).toBe(true);
    expect(emu.sendUserMessage({ chat: GROUP, from: { id: 9, first_name: 'B', is_bot: true }, text: '/ask' }).delivered).toBe(false);
    expect(emu.messages(GROUP.id).length).toBe(12);
    const pinned = {
      update_id: 1,
      message: { message_id: 500, from: OTHER_USER, chat: GROUP, date: 1, pinned_message: { ...botMessage, reply_to_message: undefined } },
    };
    expect(emu.injectUpdate({ ...pinned, message: { ...pinned.message, from: { ...OTHER_USER, is_bot: false } } }, { applyPrivacy: true }).delivered).toBe(
      true,
    );
  });

  it('with privacy off, or as an admin, delivers every group message; private chats always', async () => {
    expect(emu.sendUserMessage({ text: 'anything' }).delivered).toBe(true);
    emu.privacyMode = false;
    expect(emu.sendUserMessage({ chat: GROUP, text: 'just chatting' }).delivered).toBe(true);
    expect((await grammyBot().api.getMe()).can_read_all_group_messages).toBe(true);
    emu.privacyMode = true;
    emu.setBotStatus(GROUP.id, 'administrator');
    expect(emu.sendUserMessage({ chat: GROUP, text: 'just chatting' }).delivered).toBe(true);
    emu.setBotStatus(GROUP.id, 'left');
    expect(emu.sendUserMessage({ chat: GROUP, text: '/ask' })).toMatchObject({ delivered: false, reason: 'the bot is not a member of this chat' });
    expect((await call('sendMessage', { chat_id: GROUP.id, text: 'x' })).body.description).toBe('Forbidden: bot is not a member of the supergroup chat');
  });
});

describe('injected failures', () => {
  it('answers 429 with retry_after, and grammY sees it in GrammyError.parameters', async () => {
    const chatId = privateChat();
    emu.failNext('sendMessage', { error_code: 429, retry_after: 3 });
    expect(await call('sendMessage', { chat_id: chatId, text: 'x' })).toEqual({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } },
    });
    emu.failNext('sendMessage', { error_code: 429, retry_after: 7 });
    const error = await grammyBot().api.sendMessage(chatId, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).parameters.retry_after).toBe(7);
    expect((await call('sendMessage', { chat_id: chatId, text: 'x' })).status).toBe(200);
    expect(emu.callsTo('sendMessage').map((c) => c.injected)).toEqual([true, true, false]);
    expect(emu.invalidCalls()).toEqual([]);
  });

  it('fails a given number of times, with 5xx or a dropped connection', async () => {
    emu.failNext('getMe', { error_code: 502, times: 2 });
    expect((await call('getMe')).body).toEqual({ ok: false, error_code: 502, description: 'Bad Gateway' });
    expect((await call('getMe')).status).toBe(502);
    expect((await call('getMe')).status).toBe(200);
    emu.failNext('getMe', { network: true });
    await expect(grammyBot().api.getMe()).rejects.toBeInstanceOf(HttpError);
  });

  it('fails only the calls to one chat when given chat_id', async () => {
    const chatId = privateChat();
    const other = emu.sendUserMessage({ from: OTHER_USER, text: 'hi' }).message.chat.id;
    emu.failNext('sendMessage', { error_code: 429, retry_after: 2, chat_id: chatId });
    expect((await call('sendMessage', { chat_id: other, text: 'x' })).status).toBe(200);
    expect((await call('sendMessage', { chat_id: chatId, text: 'x' })).status).toBe(429);
    expect((await call('sendMessage', { chat_id: chatId, text: 'x' })).status).toBe(200);
  });

  it('fails every call for a while with forMs, then serves again', async () => {
    emu.failNext('*', { error_code: 429, retry_after: 1, forMs: 300 });
    expect((await call('getMe')).status).toBe(429);
    expect((await call('getMyCommands')).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await call('getMe')).status).toBe(200);
  });

  it('holds a call without answering until the client gives up, and does not process it', async () => {
    const first = emu.sendUserMessage({ text: 'one' });
    emu.failNext('getUpdates', { hang: true });
    const held = fetch(`${emu.apiRoot}/bot${emu.token}/getUpdates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offset: first.update_id! + 1 }),
      signal: AbortSignal.timeout(200),
    });
    await expect(held).rejects.toThrow();
    // the server learns of the abandoned request when its socket closes
    await emu.waitForCall('getUpdates', (c) => c.injected, { timeoutMs: 2000 });
    expect(emu.heldCalls).toEqual([]);
    expect(emu.confirmedUpdateId).toBeLessThan(first.update_id!);
    expect(emu.callsTo('getUpdates').at(-1)).toMatchObject({ ok: false, injected: true, aborted: true });

    emu.failNext('getMe', { hang: true });
    const pending = fetch(`${emu.apiRoot}/bot${emu.token}/getMe`).catch((error: unknown) => error);
    while (emu.heldCalls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(emu.heldCalls).toEqual(['getMe']);
    await emu.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('turns on flood control on request', async () => {
    await emu.close();
    emu = await startEmulator({ floodControl: { perChatPerSecond: 2 } });
    const chatId = privateChat();
    expect((await call('sendMessage', { chat_id: chatId, text: '1' })).status).toBe(200);
    expect((await call('sendMessage', { chat_id: chatId, text: '2' })).status).toBe(200);
    const third = await call('sendMessage', { chat_id: chatId, text: '3' });
    expect(third.body).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
  });
});

describe('bot settings', () => {
  it('validates and stores commands per scope and language', async () => {
    const bot = grammyBot();
    await bot.api.setMyCommands([{ command: 'ask', description: 'Ask the documents' }]);
    await bot.api.setMyCommands([{ command: 'ask', description: '提问' }], { language_code: 'zh', scope: { type: 'all_group_chats' } });
    expect(emu.commands.map((c) => [c.scopeKey, c.language_code, c.commands.map((x) => x.command)])).toEqual([
      ['default', '', ['ask']],
      ['all_group_chats', 'zh', ['ask']],
    ]);
    expect(await bot.api.getMyCommands({ language_code: 'zh', scope: { type: 'all_group_chats' } })).toEqual([{ command: 'ask', description: '提问' }]);
    await expect(bot.api.setMyCommands([{ command: 'Ask', description: 'x' }])).rejects.toThrow(/BOT_COMMAND_INVALID/);
    await expect(bot.api.setMyCommands([{ command: 'a'.repeat(33), description: 'x' }])).rejects.toThrow(/BOT_COMMAND_INVALID/);
    await expect(bot.api.setMyCommands([{ command: 'ask', description: '' }])).rejects.toThrow(/BOT_COMMAND_DESCRIPTION_INVALID/);
    await bot.api.deleteMyCommands();
    expect(await bot.api.getMyCommands()).toEqual([]);
    expect(await bot.api.getWebhookInfo()).toMatchObject({ url: '', pending_update_count: 0 });
    expect(await bot.api.sendChatAction(privateChat(), 'typing')).toBe(true);
  });

  it('delivers updates to a webhook with the secret header, and refuses getUpdates meanwhile', async () => {
    const received: Array<{ secret: string | undefined; update: Update }> = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, update: JSON.parse(body) as Update });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: 'sendMessage', chat_id: DEFAULT_USER.id, text: 'from the webhook reply' }));
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      expect((await call('setWebhook', { url, secret_token: 's3cret' })).status).toBe(200);
      expect((await call('getUpdates')).body.description).toMatch(/^Conflict: can't use getUpdates method while webhook is active/);
      const { update_id } = emu.sendUserMessage({ text: '/start' });
      const reply = await emu.waitForMessage(DEFAULT_USER.id);
      expect(reply.text).toBe('from the webhook reply');
      expect(received).toMatchObject([{ secret: 's3cret', update: { update_id } }]);
      expect(emu.confirmedUpdateId).toBe(update_id);
    } finally {
      await new Promise((r) => hook.close(r));
    }
  });
});

describe('documents and getFile', () => {
  const download = (path: string, token = emu.token) => fetch(`${emu.apiRoot}/file/bot${token}/${path}`);

  it('delivers a document in the shape Telegram sends, valid against api.json', async () => {
    const sent = emu.sendUserDocument({ file_name: 'notes.md', mime_type: 'text/markdown', bytes: '# Rail\n\nKashgar.\n', caption: '/ask rail' });
    expect(sent.delivered).toBe(true);
    const update = emu.pendingUpdates().at(-1)!;
    expect(update.message?.document).toEqual({
      file_name: 'notes.md',
      mime_type: 'text/markdown',
      file_id: sent.file_id,
      file_unique_id: sent.file_unique_id,
      file_size: Buffer.byteLength('# Rail\n\nKashgar.\n'),
    });
    expect(sent.file_id).toMatch(/^BQAC[\w-]{40,}$/);
    expect(sent.file_unique_id).toMatch(/^AgAD[\w-]{12}$/);
    expect(update.message).toMatchObject({ caption: '/ask rail', caption_entities: [{ type: 'bot_command', offset: 0, length: 4 }] });
    expect(update.message).not.toHaveProperty('text');
    const bare = emu.sendUserDocument({ bytes: 'x', file_size: null });
    expect(emu.pendingUpdates().at(-1)!.message?.document).toEqual({ file_id: bare.file_id, file_unique_id: bare.file_unique_id });
    for (const u of emu.pendingUpdates()) expect(loadSchema().validateValue(u, ['Update'], 'update')).toEqual([]);
    // privacy mode applies to documents as to text: a group document without a command is not delivered
    expect(emu.sendUserDocument({ chat: GROUP, file_name: 'a.txt', bytes: 'a' }).delivered).toBe(false);
  });

  it('getFile returns a file_path whose URL serves the bytes; unknown paths and tokens are refused', async () => {
    const bytes = Buffer.from('第一段。\n\nSecond paragraph.\n', 'utf8');
    const sent = emu.sendUserDocument({ file_name: 'Report.TXT', mime_type: 'text/plain', bytes });
    expect((await download('documents/file_0.txt')).status).toBe(404); // not issued yet
    const file = await grammyBot().api.getFile(sent.file_id);
    expect(file).toEqual({ file_id: sent.file_id, file_unique_id: sent.file_unique_id, file_size: bytes.length, file_path: 'documents/file_0.txt' });
    const res = await download(file.file_path!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    // the same file keeps its path
    expect((await grammyBot().api.getFile(sent.file_id)).file_path).toBe(file.file_path);

    const missing = await download('documents/file_9.txt');
    expect([missing.status, await missing.json()]).toEqual([404, { ok: false, error_code: 404, description: 'Not Found' }]);
    expect((await download(file.file_path!, '123:wrong')).status).toBe(401);
    expect(emu.files.downloads.map((d) => [d.path, d.status, d.bytes])).toEqual([
      ['documents/file_0.txt', 404, 0],
      ['documents/file_0.txt', 200, bytes.length],
      ['documents/file_9.txt', 404, 0],
    ]);
    expect(await call('getFile', { file_id: 'BQACAgIAAxkBAAnope' })).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' },
    });
    expect((await call('getFile', {})).body.description).toBe('Bad Request: parameter "file_id" is required');
  });

  it('refuses getFile above 20 MB with "file is too big", and serves exactly 20 MB', async () => {
    const big = emu.sendUserDocument({ file_name: 'big.txt', bytes: Buffer.alloc(MAX_DOWNLOAD_BYTES + 1, 0x61) });
    const error = await grammyBot().api.getFile(big.file_id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 400, description: 'Bad Request: file is too big' });
    const edge = emu.sendUserDocument({ file_name: 'edge.txt', bytes: Buffer.alloc(MAX_DOWNLOAD_BYTES, 0x62) });
    const file = await grammyBot().api.getFile(edge.file_id);
    expect(file.file_size).toBe(MAX_DOWNLOAD_BYTES);
    expect((await (await download(file.file_path!)).arrayBuffer()).byteLength).toBe(MAX_DOWNLOAD_BYTES);
    // a refusal that depends on the file, not on the request: not an invalid call
    expect(emu.invalidCalls()).toEqual([]);
  });

  it('lets a download link expire after an hour, as Telegram guarantees no longer', async () => {
    await emu.close();
    let now = Date.UTC(2026, 0, 1);
    emu = await startEmulator({ now: () => now });
    const sent = emu.sendUserDocument({ file_name: 'a.md', bytes: 'a' });
    const { file_path } = await grammyBot().api.getFile(sent.file_id);
    now += FILE_LINK_TTL_MS + 1000;
    expect((await download(file_path!)).status).toBe(404);
    await grammyBot().api.getFile(sent.file_id); // a new getFile renews it
    expect((await download(file_path!)).status).toBe(200);
  });

  it('sends documents over the control API too', async () => {
    const res = await fetch(`${emu.apiRoot}/__control/sendUserDocument`, {
      method: 'POST',
      body: JSON.stringify({ file_name: 'c.txt', bytes_base64: Buffer.from('hello').toString('base64') }),
    });
    const { result } = (await res.json()) as { result: { file_id: string; message: Message } };
    expect(result.message.document?.file_size).toBe(5);
    const { file_path } = await grammyBot().api.getFile(result.file_id);
    expect(await (await download(file_path!)).text()).toBe('hello');
  });
});

describe('control API', () => {
  it('exposes the injectors and readers over HTTP for out-of-process drivers', async () => {
    const control = async (op: string, body?: unknown) => {
      const res = await fetch(`${emu.apiRoot}/__control/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      return (await res.json()) as { ok: boolean; result: unknown; error?: string };
    };
    const mark = (await control('mark')).result as number;
    const injected = (await control('sendUserMessage', { text: '/ask', chat: GROUP })).result as { delivered: boolean };
    expect(injected.delivered).toBe(true);
    const waiting = control('waitForCall', { method: 'sendMessage', since: mark, match: { chat_id: GROUP.id }, timeoutMs: 2000 });
    await call('sendMessage', { chat_id: GROUP.id, text: 'answer' });
    expect(((await waiting).result as { params: unknown }).params).toMatchObject({ chat_id: GROUP.id, text: 'answer' });
    expect(((await control('messages', { chat_id: GROUP.id })).result as Message[]).map((m) => m.text)).toEqual(['/ask', 'answer']);
    expect((await control('state')).result).toMatchObject({ pendingUpdates: 1, invalidCalls: 0 });
    expect(await control('nope')).toMatchObject({ ok: false });
  });
});

describe('fixtures and schema', () => {
  it('injects every captured Update fixture, stores its messages and renumbers update ids', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    const ids: number[] = [];
    for (const file of files) {
      const update = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as Record<string, unknown>;
      const delivery = emu.injectUpdate(update);
      expect(delivery.problems, file).toEqual([]);
      expect(delivery.delivered, file).toBe(true);
      ids.push(delivery.update_id ?? 0);
    }
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(files.length);
    // the story message fixture is stored, so a reply to it resolves
    const reply = await call('sendMessage', { chat_id: -1001293752024, text: 'seen', reply_parameters: { message_id: 134545 } });
    expect((reply.body.result as Message).reply_to_message?.message_id).toBe(134545);
    // the callback query from the fixture can be answered once
    expect((await call('answerCallbackQuery', { callback_query_id: '1874464818486990916' })).status).toBe(200);
    // my_chat_member "kicked" in a private chat means the user blocked the bot
    expect((await call('sendMessage', { chat_id: 0, text: 'x' })).body.description).toBe('Forbidden: bot was blocked by the user');
  });

  it('produces updates and messages that are valid against api.json', async () => {
    const schema = loadSchema();
    emu.sendUserMessage({ chat: GROUP, text: '/ask@citebot_test_bot x' });
    emu.sendUserMessage({ chat: { id: -1009, type: 'supergroup', title: 'F', is_forum: true }, text: '/ask', threadId: 3 });
    const chatId = privateChat();
    const sent = (await call('sendMessage', { chat_id: chatId, text: 'k', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'd' }]] } }))
      .body.result as Message;
    emu.sendCallbackQuery({ chat_id: chatId, message_id: sent.message_id, data: 'd' });
    emu.sendInlineQuery({ query: 'q', chat_type: 'sender' });
    emu.setBotStatus({ id: -42, type: 'group', title: 'New' }, 'member', OTHER_USER);
    for (const update of emu.pendingUpdates()) {
      expect(schema.validateValue(update, ['Update'], 'update'), JSON.stringify(update)).toEqual([]);
    }
    expect(schema.validateValue(sent, ['Message'], 'message')).toEqual([]);
  });

  it.runIf(hasSharedSpec)('keeps the vendored schema in step with shared/telegram/api.json', async () => {
    const { compactSchema } = await import('./emulator/schema.ts');
    const raw = JSON.parse(readFileSync(new URL('api.json', SHARED_TELEGRAM), 'utf8')) as Parameters<typeof compactSchema>[0];
    const vendored = JSON.parse(readFileSync(new URL('./emulator/bot-api.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(compactSchema(raw, readFileSync(new URL('api.json.LICENSE', SHARED_TELEGRAM), 'utf8'))).toEqual(vendored);
  });

  it('parses HTML like Telegram for the bare & and numeric entities', () => {
    expect(parseHtml('R&D &amp; Q&amp;A &#20013;&#x6587; &lt')).toEqual({ text: 'R&D & Q&A 中文 <', entities: [] });
  });
});

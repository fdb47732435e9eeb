/**
 * Output Telegram would refuse: documents and questions with unpaired UTF-16 surrogates (in
 * answers, inline results, callback data and keyboards), a message Telegram finds too long, and
 * questions asked in a photo's caption.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, TEST_TOKEN, waitForLog } from '../support/bot-process.ts';
import { buttonsOf, callbackDataOf, problems, sendAndWaitForReply, WAIT_MS } from '../support/e2e.ts';
import { DEFAULT_USER } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';

const GROUP = { id: -1001000000515, type: 'supergroup', title: 'Photos' } as const;
const HIGH = '\uD83D'; // the first half of 😀, alone
const LOW = '\uDE00'; // the second half, alone
const LONE_SURROGATE = /[\uD800-\uDFFF]/u; // with the u flag only an unpaired half matches

let dataDir: string;

/** Five records whose every field holds a lone surrogate (JSON escapes keep them in the file). */
const SURROGATE_RECORDS = Array.from({ length: 5 }, (_, i) =>
  JSON.stringify({
    id: `lone-${i}`,
    title: `Broken ${HIGH} title ${i}`,
    source: `Press ${LOW}`,
    section: `Part ${HIGH}`,
    text: `The zqxlone corridor ${HIGH} carries freight ${LOW} to the border, report ${i}.`,
  }),
).join('\n');

/** One passage just under Telegram's limit (4,096 characters). */
const NEAR_LIMIT = `# Long report\n\n${'The zqxlong pipeline report covers gas & oil <volumes> in detail. '.repeat(60).slice(0, 4000)}\n`;

const t = useBot({
  async before(emu) {
    dataDir = await mkdtemp(join(tmpdir(), 'citebot-hostile-output-'));
    await writeFile(join(dataDir, 'lone.jsonl'), `${SURROGATE_RECORDS}\n`);
    await writeFile(join(dataDir, 'long.md'), NEAR_LIMIT);
    await writeFile(join(dataDir, 'leak.md'), `# Setup notes\n\nThe zqxleak bot was configured with ${TEST_TOKEN} by mistake.\n`);
    await writeFile(join(dataDir, 'rail.md'), '# Rail\n\nThe China-Kyrgyzstan-Uzbekistan railway is under construction near Kashgar.\n');
    emu.setBotStatus(GROUP, 'member');
    return { dataDir, env: { INDEX_CACHE_DIR: 'off' } };
  },
  after: () => rm(dataDir, { recursive: true, force: true }),
});

describe('unpaired surrogates never reach Telegram', { timeout: E2E_TIMEOUT_MS }, () => {
  it('answers from a document full of them, with U+FFFD in their place', async () => {
    const { message, call } = await sendAndWaitForReply(t.emu, { text: 'zqxlone corridor' });
    expect(message.text).toMatch(/zqxlone/);
    expect(message.text).toContain('\uFFFD');
    expect(String(call.params.text)).not.toMatch(LONE_SURROGATE);
    expect(problems(t.emu)).toEqual([]);
  });

  it('answers a question holding one, in the text, the callback data and the keyboard', async () => {
    const { message } = await sendAndWaitForReply(t.emu, { text: `zqxlone ${HIGH}` });
    expect(message.text).toMatch(/zqxlone/);
    const more = callbackDataOf(message, /More/);
    expect(more).not.toMatch(LONE_SURROGATE);
    const share = buttonsOf(message).find((b) => 'switch_inline_query' in b);
    expect(share && 'switch_inline_query' in share ? share.switch_inline_query : '').toContain('\uFFFD');
    // The next page, from that button.
    const since = t.emu.mark();
    t.emu.sendCallbackQuery({ message_id: message.message_id, chat_id: DEFAULT_USER.id, data: more });
    const edit = await t.emu.waitForCall('editMessageText', (c) => c.ok, { since, timeoutMs: WAIT_MS });
    expect(String(edit.params.text)).toMatch(/zqxlone/);
    expect(problems(t.emu)).toEqual([]);
  });

  it('in the echo of a question that finds nothing', async () => {
    const { message } = await sendAndWaitForReply(t.emu, { text: `qqqnothing ${LOW}${HIGH}` });
    expect(message.text).toMatch(/^Nothing found for «qqqnothing \uFFFD\uFFFD»/);
    expect(problems(t.emu)).toEqual([]);
  });

  it('in inline results', async () => {
    const since = t.emu.mark();
    t.emu.sendInlineQuery({ query: `zqxlone ${HIGH}` });
    const answered = await t.emu.waitForCall('answerInlineQuery', () => true, { since, timeoutMs: WAIT_MS });
    expect(answered.ok).toBe(true);
    const results = answered.params.results as Array<{ title: string; description?: string }>;
    expect(results.length).toBeGreaterThan(0);
    expect(results.some((r) => r.title.includes('\uFFFD') || r.description?.includes('\uFFFD'))).toBe(true);
    expect(problems(t.emu)).toEqual([]);
  });
});

describe('the bot token in a document', { timeout: E2E_TIMEOUT_MS }, () => {
  it('is redacted from the answer and the inline result', async () => {
    const { message } = await sendAndWaitForReply(t.emu, { text: 'zqxleak configured' });
    expect(message.text).toMatch(/zqxleak bot was configured with \[redacted\]/);
    const since = t.emu.mark();
    t.emu.sendInlineQuery({ query: 'zqxleak configured' });
    const answered = await t.emu.waitForCall('answerInlineQuery', (c) => c.ok, { since, timeoutMs: WAIT_MS });
    const secretPart = TEST_TOKEN.split(':')[1]!;
    expect(JSON.stringify(answered.params)).toMatch(/\[redacted\]/);
    expect(JSON.stringify([message, answered.params])).not.toContain(secretPart);
  });
});

describe('"message is too long" from Telegram', { timeout: E2E_TIMEOUT_MS }, () => {
  it('sends the answer again, shortened and still valid HTML, instead of apologising', async () => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { error_code: 400, description: 'Bad Request: message is too long' });
    const { call, message } = await sendAndWaitForReply(t.emu, { text: 'zqxlong pipeline report' });
    const attempts = t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage');
    expect(attempts).toHaveLength(2); // the refused one and the shortened one: no apology after it
    expect(call.params.parse_mode).toBe('HTML');
    expect(message.text).toMatch(/zqxlong/);
    expect(message.text).toMatch(/…/);
    expect(message.text!.length).toBeLessThanOrEqual(String(attempts[0]!.params.text).length / 2);
    expect(message.entities?.some((e) => e.type === 'bold')).toBe(true); // the HTML was parsed, not refused
    await waitForLog(t.bot, (l) => l.msg === 'message too long; sending it shortened');
    expect(problems(t.emu)).toEqual([]);
  });
});

describe('a question in a photo caption', { timeout: E2E_TIMEOUT_MS }, () => {
  it('is answered in a group: /ask and /ask@bot as the caption', async () => {
    for (const caption of ['/ask railway Kashgar', '/ask@citebot_test_bot railway Kashgar']) {
      const { message, asked } = await sendAndWaitForReply(t.emu, { chat: GROUP, photo: true, text: caption });
      expect(asked.photo?.length).toBeGreaterThan(0);
      expect(asked.caption).toBe(caption);
      expect(message.text).toMatch(/railway/i);
      expect(message.text).not.toMatch(/^Nothing found/);
    }
    expect(problems(t.emu)).toEqual([]);
  });

  it('a caption without /ask, or with another bot\'s /ask, stays unanswered in a group', async () => {
    const since = t.emu.mark();
    t.emu.sendUserMessage({ chat: GROUP, photo: true, text: '/ask@other_bot railway' });
    await sendAndWaitForReply(t.emu, { chat: GROUP, text: '/ask Kashgar' });
    const toGroup = t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.params.chat_id === GROUP.id);
    expect(toGroup).toHaveLength(1);
  });

  it('in a private chat, "/ask" in the caption is not part of the question', async () => {
    const { message } = await sendAndWaitForReply(t.emu, { photo: true, text: '/ask railway Kashgar' });
    expect(message.text).toMatch(/railway/i);
    expect(message.text).not.toMatch(/^Nothing found/);
  });

  it('made only valid calls, logged no errors and stops with exit 0', async () => {
    expect(await t.bot.stop()).toBe(0);
    t.expectCleanRun();
  });
});

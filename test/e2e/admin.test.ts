/** ADMIN_IDS: /stats and /reload for admins in their private chats; for everyone else the commands do not exist. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, logLines, waitForLog } from '../support/bot-process.ts';
import { CHINESE_USER, passagesOf, problems, sendAndWait, sendAndWaitForReply, sentOf, WAIT_MS, type Sent } from '../support/e2e.ts';
import { DEFAULT_USER, type UserMessageInput } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';

const ADMIN = { id: 400001, first_name: 'Ann', language_code: 'en' };
const GROUP = { id: -1001000000401, type: 'supergroup', title: 'Readers' } as const;

let dataDir: string;

const RAIL = '# Rail\n\nThe China-Kyrgyzstan-Uzbekistan railway is under construction near Kashgar.\n';
const ZEOLITE = '---\ntitle: Zeolite survey\n---\nZeolite deposits were surveyed in the Fergana valley in 2025.\n';

const t = useBot({
  async before(emu) {
    dataDir = await mkdtemp(join(tmpdir(), 'citebot-admin-'));
    await writeFile(join(dataDir, 'rail.md'), RAIL);
    emu.setBotStatus(GROUP, 'member');
    // Only DEFAULT_USER's chat and the group are allowed; the admin is served anyway.
    return {
      dataDir,
      env: { ADMIN_IDS: String(ADMIN.id), ALLOWED_CHAT_IDS: `${DEFAULT_USER.id},${CHINESE_USER.id},${GROUP.id}`, INDEX_CACHE_DIR: 'off' },
    };
  },
  after: () => rm(dataDir, { recursive: true, force: true }),
});

/** Sends `text` and expects no message at all in reply: a later question is answered, and nothing came in between. */
async function expectIgnored(input: UserMessageInput): Promise<void> {
  const since = t.emu.mark();
  const ignored = t.emu.sendUserMessage(input);
  expect(ignored.delivered).toBe(true);
  await sendAndWaitForReply(t.emu, { chat: input.chat, from: input.from, text: input.chat === GROUP ? '/ask railway' : 'railway' });
  const chatId = ignored.message.chat.id;
  const sent = t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.params.chat_id === chatId);
  expect(sent).toHaveLength(1);
  await waitForLog(t.bot, (l) => l.update_id === ignored.update_id && l.msg === 'admin command from a non-admin or outside a private chat ignored');
}

/** Sends /reload as the admin: the bot says it started, then reports; resolves with the report. */
async function reload(): Promise<Sent> {
  const since = t.emu.mark();
  const started = await sendAndWait(t.emu, { from: ADMIN, text: '/reload' });
  expect(started.message.text).toBe('Reloading the documents; answering from the current index meanwhile.');
  const report = await t.emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === ADMIN.id && c.seq > started.call.seq, { since, timeoutMs: WAIT_MS });
  return sentOf(report);
}

describe('admin commands', { timeout: E2E_TIMEOUT_MS }, () => {
  it('/stats shows an admin the corpus, the index and the counters', async () => {
    const first = (await sendAndWait(t.emu, { from: ADMIN, text: '/stats' })).message.text!;
    expect(first).toMatch(/Questions answered: 0 \(nothing found: 0\)\n/);
    expect(first).toMatch(/Answer time: no questions yet$/);
    const updates = (text: string) => Number(/Updates handled: (\d+)\n/.exec(text)?.[1]);

    await sendAndWaitForReply(t.emu, { from: DEFAULT_USER, text: 'railway' });
    await sendAndWaitForReply(t.emu, { from: DEFAULT_USER, text: 'qwxzv plorb' });
    const text = (await sendAndWait(t.emu, { from: ADMIN, text: '/stats' })).message.text!;
    expect(text).toMatch(/^Statistics\n1 documents, 1 passages\nIndex loaded \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC in \d+ ms\nUp for \d+/);
    expect(updates(text)).toBe(updates(first) + 3);
    expect(text).toMatch(/Questions answered: 2 \(nothing found: 1\)\n/);
    expect(text).toMatch(/Rate-limited: 0\n/);
    expect(text).toMatch(/Answer time \(last 2\): p50 [\d.]+ ms · p99 [\d.]+ ms$/);
  });

  it('gives an admin the admin commands in their command menu, in both languages, and no one else', async () => {
    const menus = t.emu.commands.filter((c) => c.scopeKey.startsWith('chat:'));
    expect(menus.map((m) => [m.scopeKey, m.language_code, m.commands.map((c) => c.command)])).toEqual([
      [`chat:${ADMIN.id}`, '', ['start', 'help', 'sources', 'stats', 'reload']],
      [`chat:${ADMIN.id}`, 'zh', ['start', 'help', 'sources', 'stats', 'reload']],
    ]);
    expect(menus[1]!.commands.every((c) => /[\u4e00-\u9fff]/.test(c.description))).toBe(true);
    for (const scope of ['all_private_chats', 'all_group_chats']) {
      const commands = t.emu.commands.filter((c) => c.scopeKey === scope).flatMap((c) => c.commands.map((x) => x.command));
      expect(commands).not.toContain('stats');
      expect(commands).not.toContain('reload');
    }
    // The admin had no chat with the bot when it started: the menu came with their first message.
    expect(await waitForLog(t.bot, (l) => l.msg === 'admin command menu not set yet: set at their next message')).toMatchObject({ user: ADMIN.id });
  });

  it('does not answer /stats or /reload from anyone else, nor from an admin in a group', async () => {
    await expectIgnored({ from: DEFAULT_USER, text: '/stats' });
    await expectIgnored({ from: CHINESE_USER, text: '/reload' });
    await expectIgnored({ chat: GROUP, from: ADMIN, text: '/stats' });
  });

  it('/reload picks up a new document, and a failed reload keeps the previous index', async () => {
    const before = await sendAndWaitForReply(t.emu, { from: DEFAULT_USER, text: 'zeolite Fergana' });
    expect(before.message.text).toMatch(/^Nothing found/);

    await writeFile(join(dataDir, 'zeolite.md'), ZEOLITE);
    const reloaded = await reload();
    expect(reloaded.message.text).toMatch(/^Reloaded in \d+ ms: 2 documents, 2 passages \(before: 1 documents, 1 passages\)\.$/);
    const after = await sendAndWaitForReply(t.emu, { from: DEFAULT_USER, text: 'zeolite Fergana' });
    expect(passagesOf(after.html)[0]!.source).toMatch(/Zeolite survey/);

    await rm(join(dataDir, 'rail.md'));
    await rm(join(dataDir, 'zeolite.md'));
    const failed = await reload();
    expect(failed.message.text).toMatch(/^Reload failed; still answering from the previous index \(2 documents, 2 passages\)\.\nno passages found in /);
    const still = await sendAndWaitForReply(t.emu, { from: DEFAULT_USER, text: 'zeolite Fergana' });
    expect(passagesOf(still.html)[0]!.source).toMatch(/Zeolite survey/);
  });

  it('answers questions while a large reload indexes, and reports when it is done', { timeout: 90_000 }, async () => {
    // ~4,000 distinct passages: seconds of indexing, which a worker thread keeps off the bot's event loop.
    const words = Array.from({ length: 4000 }, (_, i) => `w${(i * 7919) % 100003}`);
    const lines = Array.from({ length: 6000 }, (_, n) => {
      const text = Array.from({ length: 60 }, (_, k) => words[(n * 31 + k * 17) % words.length]).join(' ');
      return JSON.stringify({ id: `bulk-${n}`, title: `Bulk ${n}`, text: `${text}.` });
    });
    await writeFile(join(dataDir, 'bulk.jsonl'), `${lines.join('\n')}\n`);
    await writeFile(join(dataDir, 'zeolite.md'), ZEOLITE);
    const since = t.emu.mark();
    const started = await sendAndWait(t.emu, { from: ADMIN, text: '/reload' });
    expect(started.message.text).toBe('Reloading the documents; answering from the current index meanwhile.');
    const answered = await sendAndWaitForReply(t.emu, { from: DEFAULT_USER, text: 'zeolite Fergana' });
    const report = await t.emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === ADMIN.id && /^Reload(ed| failed)/.test(String(c.params.text)), { since, timeoutMs: 60_000 });
    const passages = Number(/^Reloaded in \d+ ms: \d+ documents, (\d+) passages/.exec(String(report.params.text))?.[1]);
    expect(passages).toBeGreaterThan(4000); // the loader drops the generator's repeated passages
    expect(answered.call.seq).toBeLessThan(report.seq);
    await rm(join(dataDir, 'bulk.jsonl'));
  });

  it('made only valid calls and never wrote its token', () => {
    // The one refusal: the admin's menu at start-up, before the admin had a chat with the t.bot.
    t.expectCleanRun({ problems: [expect.objectContaining({ method: 'setMyCommands', description: 'Bad Request: chat not found' })] });
  });
});

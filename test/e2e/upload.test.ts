/** Admins add documents by sending them in a private chat; nobody else's files are downloaded or kept. */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_EXTENSIONS } from '../../src/corpus/load.ts';
import { E2E_TIMEOUT_MS } from '../support/bot-process.ts';
import { CHINESE_USER, passagesOf, sendAndWait, sendAndWaitForReply, sentOf, WAIT_MS, type Sent } from '../support/e2e.ts';
import { DEFAULT_USER, MAX_DOWNLOAD_BYTES, type EmulatorCall, type UserDocumentInput } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';

const ADMIN = { id: 400001, first_name: 'Ann', language_code: 'en' };
const GROUP = { id: -1001000000402, type: 'supergroup', title: 'Uploaders' } as const;

const RAIL = '# Rail\n\nThe China-Kyrgyzstan-Uzbekistan railway is under construction near Kashgar.\n';

let root: string;
let dataDir: string;

const t = useBot({
  async before(emu) {
    // The data folder sits two levels down, so `../../evil.txt` would land inside `root` if it escaped.
    root = await mkdtemp(join(tmpdir(), 'citebot-upload-'));
    dataDir = join(root, 'a', 'data');
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'rail.md'), RAIL);
    emu.setBotStatus(GROUP, 'member');
    return { dataDir, env: { ADMIN_IDS: String(ADMIN.id), INDEX_CACHE_DIR: 'off' } };
  },
  after: () => rm(root, { recursive: true, force: true }),
});

const repliesTo = (chatId: number, messageId: number) => (c: EmulatorCall) =>
  c.ok && c.params.chat_id === chatId && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === messageId;

/** A user sends a document; resolves with the bot's first reply to it. */
async function sendDocument(input: UserDocumentInput): Promise<Sent & { messageId: number }> {
  const since = t.emu.mark();
  const sent = t.emu.sendUserDocument(input);
  expect(sent.delivered).toBe(true);
  const call = await t.emu.waitForCall('sendMessage', repliesTo(sent.message.chat.id, sent.message.message_id), { since, timeoutMs: WAIT_MS });
  return { ...sentOf(call), messageId: sent.message.message_id };
}

/** The admin uploads a file: the bot acknowledges it, then reports once it is indexed; resolves with the report. */
async function upload(file_name: string, bytes: string | Buffer, expectAck = /^Received «.+»\. (Indexing it|It will be indexed)/): Promise<Sent> {
  const since = t.emu.mark();
  const ack = await sendDocument({ from: ADMIN, file_name, mime_type: 'text/plain', bytes });
  expect(ack.message.text).toMatch(expectAck);
  const report = await t.emu.waitForCall('sendMessage', (c) => repliesTo(ADMIN.id, ack.messageId)(c) && c.seq > ack.call.seq, { since, timeoutMs: 60_000 });
  return sentOf(report);
}

const dataFiles = async () => (await readdir(dataDir)).sort();
const getFileCalls = () => t.emu.callsTo('getFile').length;
const downloads = () => t.emu.files.downloads.length;

describe('adding documents by sending them', { timeout: E2E_TIMEOUT_MS }, () => {
  it('indexes an admin’s .txt and says what was read; a question then finds it with its source', async () => {
    const text = 'Zeolite deposits were surveyed in the Fergana valley in 2025.\n\n费尔干纳盆地的沸石矿床于2025年完成勘查。\n';
    const report = await upload('Fergana survey.txt', text);
    expect(report.message.text).toMatch(/^Indexed Fergana survey\.txt: 2 passages from «Fergana survey»\. Now 2 documents, 3 passages\.$/);
    expect(await readFile(join(dataDir, 'Fergana survey.txt'), 'utf8')).toBe(text);

    const answer = await sendAndWaitForReply(t.emu, { from: DEFAULT_USER, text: 'zeolite Fergana' });
    expect(passagesOf(answer.html)[0]!.text).toMatch(/<b>Zeolite<\/b>/i);
    expect(passagesOf(answer.html)[0]!.source).toMatch(/^<i>— Fergana survey/);
  });

  it('indexes a .md with its front matter title, and lists the titles read', async () => {
    const md = '---\ntitle: Almaty metro extension\nsource: Example Daily\ndate: 2025-05-02\n---\n## Lines\nThe Almaty metro gains three stations on line two.\n';
    const report = await upload('almaty.md', md);
    expect(report.html).toMatch(/^Indexed <b>almaty\.md<\/b>: 1 passages from «Almaty metro extension»\./);
    const answer = await sendAndWaitForReply(t.emu, { from: DEFAULT_USER, text: 'Almaty metro stations' });
    expect(passagesOf(answer.html)[0]!.source).toMatch(/Almaty metro extension · Example Daily · 2025-05-02/);
  });

  it('does not download anyone else’s file: a polite reply in their language, and the folder is unchanged', async () => {
    const before = await dataFiles();
    const calls = getFileCalls();
    const downloaded = downloads();
    const en = await sendDocument({ from: DEFAULT_USER, file_name: 'mine.txt', bytes: 'not for the index' });
    expect(en.message.text).toBe('Only the bot’s admins can add documents. To look something up, send me a question.');
    const zh = await sendDocument({ from: CHINESE_USER, file_name: '我的.txt', bytes: '不应被索引', caption: '请添加' });
    expect(zh.message.text).toBe('只有机器人的管理员可以添加文档。如需查询，请直接发送问题。');
    expect(getFileCalls()).toBe(calls);
    expect(downloads()).toBe(downloaded);
    expect(await dataFiles()).toEqual(before);
  });

  it('stays quiet about documents in groups, even an admin’s', async () => {
    t.emu.privacyMode = false; // so that Telegram delivers the group's documents at all
    try {
      const since = t.emu.mark();
      const calls = getFileCalls();
      const before = await dataFiles();
      expect(t.emu.sendUserDocument({ chat: GROUP, from: ADMIN, file_name: 'group.txt', bytes: 'group text' }).delivered).toBe(true);
      expect(t.emu.sendUserDocument({ chat: GROUP, from: DEFAULT_USER, file_name: 'other.txt', bytes: 'other text' }).delivered).toBe(true);
      // A later /ask is answered, and it is the only message the bot sent to the group.
      await sendAndWaitForReply(t.emu, { chat: GROUP, from: DEFAULT_USER, text: '/ask railway' });
      expect(t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.params.chat_id === GROUP.id)).toHaveLength(1);
      expect(getFileCalls()).toBe(calls);
      expect(await dataFiles()).toEqual(before);
    } finally {
      t.emu.privacyMode = true;
    }
  });

  it('refuses a file over 20 MB before getFile, and when Telegram refuses it at getFile; nothing is saved', async () => {
    const before = await dataFiles();
    const calls = getFileCalls();
    const downloaded = downloads();
    const big = Buffer.alloc(MAX_DOWNLOAD_BYTES + 1, 'a');
    const told = await sendDocument({ from: ADMIN, file_name: 'big.txt', bytes: big });
    expect(told.message.text).toBe('«big.txt» is 20.1 MB; bots can download files of up to 20 MB. Split it, or copy it into the data folder on the server.');
    expect(getFileCalls()).toBe(calls);
    // Without file_size in the message the bot cannot tell beforehand: getFile refuses it.
    const unsized = await sendDocument({ from: ADMIN, file_name: 'big2.txt', bytes: big, file_size: null });
    expect(unsized.message.text).toMatch(/^«big2\.txt» is > 20 MB; bots can download files of up to 20 MB\./);
    expect(t.emu.callsTo('getFile').slice(calls).map((c) => c.description)).toEqual(['Bad Request: file is too big']);
    expect(downloads()).toBe(downloaded);
    expect(await dataFiles()).toEqual(before);
  });

  it('tells which kinds of file it reads when the extension is not one of them', async () => {
    const before = await dataFiles();
    const list = READ_EXTENSIONS.join(', ');
    expect((await sendDocument({ from: ADMIN, file_name: 'setup.exe', bytes: 'MZ' })).message.text).toBe(`I can’t read «setup.exe»: I read ${list} files.`);
    // A hidden name loses its dot, and `.env` is then a file with no extension.
    expect((await sendDocument({ from: ADMIN, file_name: '.env', bytes: 'BOT_TOKEN=x' })).message.text).toBe(`I can’t read «.env»: I read ${list} files.`);
    expect(await dataFiles()).toEqual(before);
  });

  it('stores hostile names safely inside the data folder', async () => {
    const evil = await upload('../../evil.txt', 'Evil paragraph about quokka migration.\n');
    expect(evil.message.text).toMatch(/^Indexed evil\.txt: 1 passages/);
    await expect(stat(join(dataDir, '..', '..', 'evil.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(dataDir, 'evil.txt'), 'utf8')).toMatch(/quokka/);

    const slashes = await upload('reports/2025\u0007\u202Eq1\\notes.md', 'Numbat census notes from the second quarter.\n');
    expect(slashes.message.text).toMatch(/^Indexed notes\.md: 1 passages/);

    const long = await upload(`${'长'.repeat(300)}.txt`, 'Long-named file about wombat burrows.\n');
    const longName = /^Indexed (\S+\.txt):/.exec(long.message.text!)![1]!;
    expect(Buffer.byteLength(longName)).toBeLessThanOrEqual(120);
    expect(await readFile(join(dataDir, longName), 'utf8')).toMatch(/wombat/);

    const files = await dataFiles();
    expect(files.every((f) => !f.startsWith('.') && !/[\u0000-\u001f\u202e/\\]/.test(f))).toBe(true);
    expect(await readdir(join(root, 'a'))).toEqual(['data']);
    expect(await readdir(root)).toEqual(['a']);
  });

  it('never replaces a file of the same name: a different one is saved under a new name, the same one changes nothing', async () => {
    const renamed = await upload('rail.md', '# Rail\n\nA new timetable for the Kashgar line starts in June.\n');
    expect(renamed.message.text).toMatch(/^Indexed rail-2\.md: 1 passages from «Rail»\./);
    expect(renamed.message.text).toMatch(/\nAnother file is already called «rail\.md», so this one is saved as «rail-2\.md»\.$/);
    expect(await readFile(join(dataDir, 'rail.md'), 'utf8')).toBe(RAIL);

    const same = await upload('rail.md', RAIL);
    expect(same.message.text).toBe('«rail.md» is already in the documents with the same content: nothing changed.');
    expect((await dataFiles()).filter((f) => f.startsWith('rail'))).toEqual(['rail-2.md', 'rail.md']);
  });

  it('does not keep a file nothing could be read from, nor a binary one; reads UTF-16 text', async () => {
    const empty = await upload('blank.txt', '\n\n   \n');
    expect(empty.message.text).toBe('Nothing could be read from «blank.txt», so it was not kept.\n• file skipped: no text in it');
    // A PDF renamed .txt: the loader refuses binary content, so nothing is read and the file is removed.
    const binary = await upload('scan.txt', Buffer.concat([Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n', 'latin1'), Buffer.alloc(64, 0)]));
    expect(binary.message.text).toMatch(/^Nothing could be read from «scan\.txt», so it was not kept\.\n• file skipped: binary content/);
    // Windows "Unicode" (UTF-16) text is decoded, indexed and kept.
    const utf16 = await upload('pangolin.txt', Buffer.from('\uFEFFPangolin sanctuary opens near Osh.\n', 'utf16le'));
    expect(utf16.message.text).toMatch(/^Indexed pangolin\.txt: 1 passages/);
    const files = await dataFiles();
    expect(files).not.toContain('blank.txt');
    expect(files).not.toContain('scan.txt');
    expect(files).toContain('pangolin.txt');
    const answer = await sendAndWaitForReply(t.emu, { from: DEFAULT_USER, text: 'Pangolin sanctuary' });
    expect(answer.message.text).toContain('Pangolin sanctuary opens near Osh.');
  });

  it('queues an upload sent while a reload runs, and answers /reload during an upload’s indexing with "already running"', { timeout: 90_000 }, async () => {
    // Thousands of passages: seconds of indexing, so the reload is still running when the upload arrives.
    const lines = Array.from({ length: 6000 }, (_, n) => JSON.stringify({ id: `bulk-${n}`, text: `Bulk record ${n} about item w${(n * 7919) % 100003} and w${n}.` }));
    await writeFile(join(dataDir, 'bulk.jsonl'), `${lines.join('\n')}\n`);
    // An upload is indexing: /reload is told to wait.
    const first = upload('bustard.txt', 'Great bustards winter in the Syr Darya delta.\n', /^Received «bustard\.txt»\. Indexing it; answering from the current index meanwhile\.$/);
    await t.emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === ADMIN.id && /^Received «bustard/.test(String(c.params.text)), { since: 0, timeoutMs: WAIT_MS });
    expect((await sendAndWait(t.emu, { from: ADMIN, text: '/reload' })).message.text).toBe('A reload is already running.');
    expect((await first).message.text).toMatch(/^Indexed bustard\.txt: 1 passages/);

    // A reload is running: the upload waits for it.
    const since = t.emu.mark();
    const started = await sendAndWait(t.emu, { from: ADMIN, text: '/reload' });
    expect(started.message.text).toBe('Reloading the documents; answering from the current index meanwhile.');
    const report = await upload('saiga.txt', 'Saiga antelope herds recovered on the steppe.\n', /^Received «saiga\.txt»\. It will be indexed once the reload in progress is done\.$/);
    expect(report.message.text).toMatch(/^Indexed saiga\.txt: 1 passages from «saiga»/);
    const reloaded = await t.emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === ADMIN.id && /^Reloaded in/.test(String(c.params.text)), { since, timeoutMs: 60_000 });
    expect(reloaded.seq).toBeLessThan(report.call.seq);
    await rm(join(dataDir, 'bulk.jsonl'));
  });

  it('made only valid calls and never wrote its token', () => {
    t.expectCleanRun({
      problems: [
        // The admin's menu at start-up, before the admin had a chat with the bot.
        expect.objectContaining({ method: 'setMyCommands', description: 'Bad Request: chat not found' }),
        // The 20 MB file without file_size: Telegram refuses it, and the bot tells the admin.
        expect.objectContaining({ method: 'getFile', description: 'Bad Request: file is too big' }),
      ],
    });
  });
});

/**
 * Documents as people have them: GBK, Big5 and UTF-16 text files, a CSV, a PDF and a blob renamed
 * .txt, files of kinds we do not read. The bot answers from the decoded text, never sends the
 * binary ones, and tells the operator about each in its log, at start-up and on /reload.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, logLines, waitForLog } from '../support/bot-process.ts';
import { CHINESE_USER, passagesOf, sendAndWait, sendAndWaitForReply, WAIT_MS } from '../support/e2e.ts';
import { useBot } from '../support/use-bot.ts';

const ADMIN = { id: 400002, first_name: 'Ann', language_code: 'en' };

/** Simplified Chinese, saved as GBK. */
const GBK_TEXT = '塔什干新建的光伏电站由中国企业承建，年发电量约为十亿千瓦时。';
/** Traditional Chinese (DRCD), saved as Big5. */
const BIG5_TEXT = '馬祖列島是隸屬中華民國的群島，位於臺灣海峽正北方，面臨閩江口、連江口和羅源灣。';
/** Saved as UTF-16LE with a BOM, as Windows Notepad writes "Unicode". */
const UTF16LE_TEXT = '撒马尔罕古城的丝绸之路博物馆今年对外开放，展出文物三千余件。';
/** Saved as UTF-16BE without a BOM. */
const UTF16BE_TEXT = '阿拉木图地铁二期工程预计明年完工，新增车站五座。';
/** A CSV row: the text has a comma inside quotes. */
const CSV_TEXT = 'The Khorgos dry port handled 540,000 containers, a record, in 2024.';

let dataDir: string;

const t = useBot({
  async before() {
    dataDir = await mkdtemp(join(tmpdir(), 'citebot-encodings-'));
    await writeFile(join(dataDir, 'solar-gbk.txt'), iconv.encode(`光伏电站\n\n${GBK_TEXT}`, 'gbk'));
    await writeFile(join(dataDir, 'matsu-big5.txt'), iconv.encode(BIG5_TEXT, 'big5'));
    await writeFile(join(dataDir, 'museum-utf16le.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(UTF16LE_TEXT, 'utf-16le')]));
    await writeFile(join(dataDir, 'metro-utf16be.txt'), iconv.encode(UTF16BE_TEXT, 'utf-16be'));
    await writeFile(
      join(dataDir, 'ports.csv'),
      `title,publisher,date,text\nDry ports,Example Daily,2025-01-15,"${CSV_TEXT}"\nBroken row,Example Daily\n`,
    );
    // A PDF renamed .txt, and a binary blob with readable words inside: neither may reach a user.
    await writeFile(join(dataDir, 'scan.txt'), Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Title (zeolite survey) >> endobj\n', 'latin1'));
    await writeFile(join(dataDir, 'blob.txt'), Buffer.concat([Buffer.from([0, 1, 2, 3, 0xfe, 0, 7, 0]), Buffer.from(' zeolite deposits '), Buffer.alloc(64, 0)]));
    await writeFile(join(dataDir, 'report.pptx'), 'PK\u0003\u0004');
    await writeFile(join(dataDir, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    return { dataDir, env: { ADMIN_IDS: String(ADMIN.id), INDEX_CACHE_DIR: 'off' } };
  },
  after: () => rm(dataDir, { recursive: true, force: true }),
});

/** The plain text of the passages the bot answered `question` with, each with its source line. */
async function answerTo(question: string): Promise<{ text: string; source: string }[]> {
  const { html } = await sendAndWaitForReply(t.emu, { from: CHINESE_USER, text: question });
  return passagesOf(html).map((p) => ({ text: p.text.replace(/<[^>]+>/g, ''), source: p.source.replace(/<[^>]+>/g, '') }));
}

const SUMMARY = '2 files ignored, not a kind we read (photo.png, report.pptx); we read .txt .md .markdown .jsonl .csv .pdf .docx .html .htm';

describe('documents in other encodings', { timeout: E2E_TIMEOUT_MS }, () => {
  it('answers from a GBK file, decoded', async () => {
    const [first] = await answerTo('塔什干光伏电站的年发电量');
    expect(first).toMatchObject({ text: GBK_TEXT, source: '— solar gbk' });
  });

  it('answers from a Big5 file, decoded as traditional Chinese (not read as GBK)', async () => {
    const [first] = await answerTo('馬祖列島位於哪裡');
    expect(first?.text).toBe(BIG5_TEXT);
  });

  it('answers from UTF-16 files, little-endian with a BOM and big-endian without', async () => {
    expect((await answerTo('撒马尔罕丝绸之路博物馆'))[0]?.text).toBe(UTF16LE_TEXT);
    expect((await answerTo('阿拉木图地铁二期工程'))[0]?.text).toBe(UTF16BE_TEXT);
  });

  it('answers from a CSV row, with the source from its columns', async () => {
    const [first] = await answerTo('Khorgos dry port containers');
    expect(first).toEqual({ text: CSV_TEXT, source: '— Dry ports · Example Daily · 2025-01-15' });
  });

  it('never sends the binary files renamed .txt', async () => {
    const { message } = await sendAndWaitForReply(t.emu, { from: CHINESE_USER, text: 'zeolite deposits survey' });
    expect(message.text).toMatch(/^Nothing found|^没有找到|^未找到/);
    const sentTexts = t.emu.calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.params.text));
    for (const text of sentTexts) {
      expect(text).not.toMatch(/endobj|%PDF|\uFFFD|[\u0000-\u0008]/);
    }
  });

  it('logs a warning naming each skipped file and row, and one line for the files of kinds it does not read', async () => {
    const warnings = logLines(t.bot.stderr).filter((line) => line.level === 40);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'scan.txt', msg: 'file skipped: binary content (PDF), not text' }),
        expect.objectContaining({ file: 'blob.txt', msg: 'file skipped: binary content (NUL bytes), not text' }),
        expect.objectContaining({ file: 'ports.csv', line: 3, msg: 'row skipped: wrong number of fields' }),
        expect.objectContaining({ ignored: 2, msg: SUMMARY }),
      ]),
    );
    expect(warnings.filter((line) => line.msg === SUMMARY)).toHaveLength(1);
  });

  it('logs the same on /reload', async () => {
    const before = logLines(t.bot.stderr).filter((line) => line.msg === SUMMARY).length;
    const started = await sendAndWait(t.emu, { from: ADMIN, text: '/reload' });
    await t.emu.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === ADMIN.id && c.seq > started.call.seq, { timeoutMs: WAIT_MS });
    await waitForLog(t.bot, (line) => line.file === 'scan.txt' && logLines(t.bot.stderr).filter((l) => l.msg === SUMMARY).length > before, WAIT_MS);
    expect(logLines(t.bot.stderr).filter((line) => line.msg === SUMMARY)).toHaveLength(before + 1);
    // Still answering from decoded text after the reload.
    expect((await answerTo('塔什干光伏电站的年发电量'))[0]?.text).toBe(GBK_TEXT);
    // The admin has not talked to the bot before it started: their command menu could not be set then.
    t.expectCleanRun({ problems: [expect.objectContaining({ method: 'setMyCommands', description: 'Bad Request: chat not found' })] });
  });
});

/** PDF, HTML and DOCX documents: the bot reads them and cites the page of a PDF and the heading of a page. */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, logLines, ROOT } from '../support/bot-process.ts';
import { CHINESE_USER, passagesOf, sendAndWait } from '../support/e2e.ts';
import { useBot } from '../support/use-bot.ts';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'documents');
const DOCUMENTS = ['dry-ports-report.pdf', 'trade-brief-zh.pdf', 'caspian-ferries.html', 'khorgos-notice-zh.htm', 'rail-notes-zh.docx', 'encrypted-report.pdf', 'scanned-letter.pdf'];

let dataDir: string;

const t = useBot({
  async before() {
    dataDir = await mkdtemp(join(tmpdir(), 'citebot-documents-'));
    for (const name of DOCUMENTS) await copyFile(join(FIXTURES, name), join(dataDir, name));
    return { dataDir, env: { INDEX_CACHE_DIR: 'off' } };
  },
  after: () => rm(dataDir, { recursive: true, force: true }),
});

describe('documents in PDF, HTML and DOCX', { timeout: E2E_TIMEOUT_MS }, () => {
  it('answers from page 2 of a PDF, and the source line says "p. 2"', async () => {
    const { html } = await sendAndWait(t.emu, { text: 'How many containers did the Khorgos Gateway handle in 2024?' });
    const [first] = passagesOf(html);
    expect(first!.text).toContain('512,000');
    expect(first!.source).toBe('<i>— Dry Ports of the Silk Road: 2024 Review · Khorgos Gateway › p. 2</i>');
  });

  it('answers from a Chinese PDF whose paragraph runs over several printed lines', async () => {
    const { html } = await sendAndWait(t.emu, { from: CHINESE_USER, text: '霍尔果斯口岸换装时间' });
    const passage = passagesOf(html).find((p) => p.source.includes('中亚贸易简报'));
    expect(passage?.source).toBe('<i>— 中亚贸易简报 · 霍尔果斯口岸 › p. 2</i>');
  });

  it('answers from the main content of a web page, with its heading as the section and its metadata', async () => {
    const { html } = await sendAndWait(t.emu, { text: 'How long did trucks wait for a ferry on the Caspian?' });
    const [first] = passagesOf(html);
    expect(first!.text).toMatch(/twelve days/);
    expect(first!.source).toBe(
      '<i>— <a href="https://steppe-courier.example/2025/03/caspian-ferries">Ferries across the Caspian Sea</a> · Steppe Courier · 2025-03-14 · Ports and berths › Waiting times</i>',
    );
  });

  it('finds nothing for words only the page navigation, scripts, banners and footer hold', async () => {
    for (const text of ['horoscope nightjar', 'zebrafinch', 'capybara', 'ombudsman wombat', 'marmalade biscuits', 'beshbarmak recipes']) {
      const { message } = await sendAndWait(t.emu, { text });
      expect(message.text, text).toMatch(/^Nothing found for «/);
    }
  });

  it('answers from a Word document with its Heading 1 › Heading 2 as the section', async () => {
    const { html } = await sendAndWait(t.emu, { from: CHINESE_USER, text: '中吉乌铁路有多少座隧道' });
    const passage = passagesOf(html).find((p) => p.text.includes('隧道'));
    expect(passage?.source).toBe('<i>— 中吉乌铁路项目笔记 · 项目概况 › 线路走向</i>');
  });

  it('logged a warning naming the encrypted PDF and the scanned one, and loaded the rest', () => {
    const lines = logLines(t.output);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, file: 'encrypted-report.pdf', msg: expect.stringContaining('encrypted') }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, file: 'scanned-letter.pdf', msg: expect.stringContaining('no text layer') }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'corpus loaded', documents: 5 }));
  });

  it('made only valid calls and logged no errors', () => {
    t.expectCleanRun();
  });
});

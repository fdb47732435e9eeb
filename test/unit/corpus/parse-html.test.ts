import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { walkBlocks, type DomNode } from '../../../src/corpus/html-blocks.ts';
import { decodeHtml, isoDate, parseHtml, parseHtmlBytes } from '../../../src/corpus/parse-html.ts';
import type { Passage } from '../../../src/corpus/types.ts';
import fc from 'fast-check';
import { parseHTML } from 'linkedom';

const fixture = (name: string) => readFile(fileURLToPath(new URL(`../../fixtures/documents/${name}`, import.meta.url)));

/** Words that only the page's furniture (navigation, scripts, styles, banners, footer, sidebar) holds. */
const FURNITURE_WORDS = ['Horoscope', 'nightjar', 'platypus', 'Crossword', 'zebrafinch', 'trackerword', 'quasarstyle', 'biscuits', 'marmalade', 'capybara', 'wombat', 'mongoose', 'Pelicans', 'beshbarmak', 'Related stories', 'Careers'];

const texts = (passages: Passage[]) => passages.map((p) => p.text).join('\n');

describe('parseHtml', () => {
  it('reads the article of a news page: metadata, headings as sections, entities decoded', async () => {
    const result = parseHtml((await fixture('caspian-ferries.html')).toString('utf8'), 'news/caspian-ferries.html');
    expect(result).not.toBeInstanceOf(Promise);
    expect(result.warnings).toEqual([]);
    const [document] = result.documents;
    expect(document).toMatchObject({
      id: 'news/caspian-ferries.html',
      title: 'Ferries across the Caspian Sea',
      publisher: 'Steppe Courier',
      date: '2025-03-14',
      url: 'https://steppe-courier.example/2025/03/caspian-ferries',
    });
    expect(document!.passages.map((p) => [p.section, p.text.slice(0, 30)])).toEqual([
      [null, 'The Caspian Sea is the narrowe'],
      ['Ports and berths', 'Aktau and the neighbouring por'],
      ['Ports and berths › Waiting times', 'Trucks and wagons waited up to'],
      ['Fleet & crews', 'Only about twenty ferries and '],
    ]);
    const all = texts(document!.passages);
    expect(all).toContain('about 6 million tonnes');
    expect(all).toContain('a year — about four times');
    expect(all).toContain('Azerbaijan’s shipping company');
    expect(all).not.toMatch(/&\w+;|<\w/);
    for (const word of FURNITURE_WORDS) expect(all).not.toContain(word);
  });

  it('falls back to the page body without its furniture when Readability finds no article (a short notice)', async () => {
    const [document] = parseHtmlBytes(await fixture('khorgos-notice-zh.htm'), 'khorgos-notice-zh.htm').documents;
    expect(document).toMatchObject({ title: '霍尔果斯口岸通关公告', publisher: '边境口岸在线', date: '2025-01-20', url: null });
    expect(document!.passages.map((p) => [p.section, p.text])).toEqual([
      ['通关时间', '自二〇二五年二月一日起，霍尔果斯口岸旅客通道每天开放时间延长至二十二点，货运通道实行全天通关。'],
      ['联系方式', '如有疑问，请拨打口岸服务热线。'],
    ]);
    for (const word of ['首页', '鹦鹉', '刺猬', '乌鸦', '版权所有']) expect(texts(document!.passages)).not.toContain(word);
  });

  it('keeps the nesting of a page whose sections are <h1>s (Readability renames them <h2>)', () => {
    const para = (topic: string) => `<p>${`The ${topic} section tells how freight moves between the valleys, and why the line matters to the region's traders. `.repeat(3)}</p>`;
    const html = `<html><head><title>Rail atlas</title></head><body><article><h1>Kyrgyzstan</h1>${para('Kyrgyz')}<h2>Tunnels</h2>${para('tunnel')}<h1>Uzbekistan</h1>${para('Uzbek')}<h2>Stations</h2>${para('station')}</article></body></html>`;
    const [document] = parseHtml(html, 'atlas.html').documents;
    expect(document!.passages.map((p) => p.section)).toEqual(['Kyrgyzstan', 'Kyrgyzstan › Tunnels', 'Uzbekistan', 'Uzbekistan › Stations']);
  });

  it('does not make a page\'s only <h1> a section when it differs from the <title>', () => {
    const html = '<html><head><title>Port Online: notices and news</title></head><body><h1>Border hours</h1><h2>Passengers</h2><p>Open until ten.</p></body></html>';
    const [document] = parseHtml(html, 'hours.html').documents;
    expect(document!.passages.map((p) => [p.section, p.text])).toEqual([['Passengers', 'Open until ten.']]);
  });

  it('leaves out cookie, consent and newsletter blocks and ARIA navigation even when the whole body is read', () => {
    const html = '<html><body><div class="Cookie-Banner">Biscuits here</div><div id="gdpr-CONSENT">Consent words</div><div class="site-newsletter">Newsletter words</div><div role="navigation">Nav words</div><div hidden>Hidden words</div><p>Real text.</p></body></html>';
    expect(parseHtml(html, 'x.html').documents[0]!.passages.map((p) => p.text)).toEqual(['Real text.']);
  });

  it('takes the file name as title without one, the date from <time datetime>, the url from og:url', () => {
    const html = `<html><head><meta property="og:url" content="https://e.example/a"></head><body><main>
      <p>Posted <time datetime="2024-11-05T10:00:00Z">5 Nov</time>.</p><h2>Rail</h2><p>The line opens in spring.</p><h3>Cost</h3><p>It costs less.</p><h2>Road</h2><p>Roads too.</p>
      </main><footer>Footer words</footer></body></html>`;
    const [document] = parseHtml(html, 'dir/rail_update-2024.html').documents;
    expect(document).toMatchObject({ title: 'rail update 2024', date: '2024-11-05', url: 'https://e.example/a', publisher: null });
    expect(document!.passages.map((p) => [p.section, p.text])).toEqual([
      [null, 'Posted 5 Nov.'],
      ['Rail', 'The line opens in spring.'],
      ['Rail › Cost', 'It costs less.'],
      ['Road', 'Roads too.'],
    ]);
  });

  it('reads a bare fragment, and gives no document for a page without text', () => {
    expect(parseHtml('<p>Just &amp; only</p>', 'f.html').documents[0]!.passages.map((p) => p.text)).toEqual(['Just & only']);
    expect(parseHtml('<html><head><title>Empty</title><script>var a = 1;</script></head><body><nav>Menu</nav></body></html>', 'e.html')).toEqual({ documents: [], warnings: [] });
    expect(parseHtml('', 'blank.html')).toEqual({ documents: [], warnings: [] });
  });

  it('decodes a page in the encoding its <meta charset> names, UTF-8 by default', () => {
    const gbk = Uint8Array.from([...Buffer.from('<meta charset="gbk"><p>'), 0xd6, 0xd0, 0xce, 0xc4, ...Buffer.from('</p>')]);
    expect(decodeHtml(gbk)).toContain('<p>中文</p>');
    expect(parseHtmlBytes(gbk, 'gbk.html').documents[0]!.passages[0]!.text).toBe('中文');
    expect(decodeHtml(Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('<p>中文</p>')]))).toBe('<p>中文</p>');
    expect(decodeHtml(Buffer.from('<meta charset="no-such-encoding"><p>中文</p>'))).toContain('中文');
  });
});

describe('parseHtml on any markup', () => {
  const piece = fc.oneof(
    fc.constantFrom('<p>', '</p>', '<h2>', '</h2>', '<h1>', '<nav>', '</nav>', '<script>', '</script>', '<style>', '<!--', '-->', '<br>', '<table><tr><td>', '&amp;', '&#0;', '&#x110000;', '<meta property="article:published_time" content="2025-99-99">', '<html>', '<body>', '<main>', '<', '>', '"', '\n', '中文', 'railway'),
    fc.string({ maxLength: 20 }),
  );
  it('never throws, and keeps only non-empty passages without markup-only text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }).map((p) => p.join('')), (html) => {
        const { documents, warnings } = parseHtml(html, 'any.html');
        expect(warnings).toEqual([]);
        for (const passage of documents.flatMap((d) => d.passages)) {
          expect(passage.text.trim()).not.toBe('');
          expect(passage.file).toBe('any.html');
          expect(passage.date === null || /^\d{4}-\d{2}-\d{2}$/.test(passage.date)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('walkBlocks (the heading walker HTML and DOCX share)', () => {
  const body = (html: string) => parseHTML(`<html><body>${html}</body></html>`).document.body as DomNode;

  it('nests headings as "A › B", drops deeper ones at a new heading, and leaves the title out of the path', () => {
    const blocks = walkBlocks(body('<h1>Doc</h1><p>intro</p><h2>A</h2><h3>B</h3><p>under b</p><h2>C</h2><ul><li>one</li><li>two</li></ul><table><tr><td>x</td><td>y</td></tr></table>'), { title: 'doc' });
    expect(blocks).toEqual([
      { text: 'intro', section: null },
      { text: 'under b', section: 'A › B' },
      { text: 'one', section: 'C' },
      { text: 'two', section: 'C' },
      { text: 'x y', section: 'C' },
    ]);
  });

  it('reads elements nested deeper than the call stack goes', () => {
    const deep = `${'<div>'.repeat(20_000)}deep text${'</div>'.repeat(20_000)}`;
    expect(walkBlocks(body(`${deep}<p>after</p>`))).toEqual([{ text: 'deep text', section: null }, { text: 'after', section: null }]);
  });

  it('joins a line break between Chinese characters without a space, and skips scripts', () => {
    expect(walkBlocks(body('<p>霍尔果斯\n口岸<br>通关<script>var x = "no";</script> ok</p>'))).toEqual([{ text: '霍尔果斯口岸通关 ok', section: null }]);
  });
});

describe('isoDate', () => {
  it('keeps the YYYY-MM-DD a date or timestamp starts with', () => {
    expect(isoDate('2025-03-14T08:30:00+05:00')).toBe('2025-03-14');
    expect(isoDate(' 2025-01-20 ')).toBe('2025-01-20');
    for (const bad of [null, undefined, '', '14 March 2025', '2025-13-01', '2025-03-141', '20250314']) expect(isoDate(bad)).toBeNull();
  });
});

/**
 * `node --import tsx test/bench/readers.ts [--out DIR]`
 *
 * How well the PDF and Word readers recover what a page said. Writes one HTML page from real text
 * (300 KB of WikiText-2 with its = / = = / = = = headings as h1–h3, then 130 KB of CMRC 2018
 * Chinese paragraphs), has LibreOffice print it to PDF and save it as .docx (needs
 * `libreoffice-writer` and `fonts-noto-cjk`), reads all three with the readers, and prints: time
 * per reader, passages, the page's paragraphs that start a PDF passage, the PDF and DOCX passages
 * whose heading path is the HTML one's, and the HTML text found in the PDF. DESIGN.md quotes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDocx } from '../../src/corpus/parse-docx.ts';
import { parseHtml } from '../../src/corpus/parse-html.ts';
import { parsePdf } from '../../src/corpus/parse-pdf.ts';
import type { ParseResult, Passage } from '../../src/corpus/types.ts';
import { SHARED } from './corpus.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: join(tmpdir(), 'citebot-bench-readers') } } });
const dir = values.out!;
mkdirSync(dir, { recursive: true });

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const html = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bench</title></head><body>'];
const paragraphs: string[] = [];
let latin = 0;
for (const raw of readFileSync(join(SHARED, 'distractors', 'wikitext-2-raw-test.txt'), 'utf8').split('\n')) {
  const line = raw.trim();
  if (!line) continue;
  const level = /^(=\s)*=/.exec(line)?.[0].split('=').length;
  if (level) html.push(`<h${level - 1}>${escape(line.replace(/^[=\s]+|[=\s]+$/g, ''))}</h${level - 1}>`);
  else {
    html.push(`<p>${escape(line)}</p>`);
    paragraphs.push(line);
    if ((latin += line.length) > 300_000) break;
  }
}
html.push('<h1>中文</h1>');
const cmrc = JSON.parse(readFileSync(join(SHARED, 'distractors', 'cmrc2018_trial.json'), 'utf8')) as { data: { paragraphs: { context: string }[] }[] };
let han = 0;
for (const article of cmrc.data) {
  for (const { context } of article.paragraphs) {
    html.push(`<p>${escape(context)}</p>`);
    paragraphs.push(context);
    han += context.length;
  }
  if (han > 130_000) break;
}
html.push('</body></html>');
writeFileSync(join(dir, 'bench.html'), html.join('\n'));
const office = (target: string) =>
  execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--infilter=HTML (StarWriter)', '--convert-to', target, '--outdir', dir, join(dir, 'bench.html')], { stdio: 'ignore' });
office('pdf:writer_pdf_Export');
office('docx:MS Word 2007 XML');

const timed = async (label: string, read: () => ParseResult | Promise<ParseResult>): Promise<Passage[]> => {
  const started = performance.now();
  const result = await read();
  console.log(`${label}: ${Math.round(performance.now() - started)} ms, ${result.documents.flatMap((d) => d.passages).length} passages, ${result.warnings.length} warnings`);
  return result.documents.flatMap((d) => d.passages);
};
const pdf = await timed('pdf', () => parsePdf(new Uint8Array(readFileSync(join(dir, 'bench.pdf'))), 'bench.pdf'));
const page = await timed('html', () => parseHtml(readFileSync(join(dir, 'bench.html'), 'utf8'), 'bench.html'));
const docx = await timed('docx', () => parseDocx(new Uint8Array(readFileSync(join(dir, 'bench.docx'))), 'bench.docx'));

const squash = (text: string) => text.replace(/\s+/g, '').toLowerCase();
const pdfStarts = new Set(pdf.map((p) => squash(p.text).slice(0, 30)));
console.log(`paragraphs of the page that start a PDF passage: ${paragraphs.filter((p) => pdfStarts.has(squash(p).slice(0, 30))).length}/${paragraphs.length}`);
const pathOf = new Map(page.map((p) => [squash(p.text).slice(0, 40), p.section]));
const compared = pdf.filter((p) => pathOf.has(squash(p.text).slice(0, 40)));
const samePath = compared.filter((p) => (p.section!.replace(/(^| › )p\. \d+$/, '') || null) === pathOf.get(squash(p.text).slice(0, 40)));
console.log(`PDF passages with the page's heading path: ${samePath.length}/${compared.length}`);
console.log(`DOCX passages with the page's heading path: ${docx.filter((p) => pathOf.get(squash(p.text).slice(0, 40)) === p.section).length}/${docx.length}`);
const pdfText = squash(pdf.map((p) => p.text).join(''));
console.log(`page passages whose text is in the PDF: ${page.filter((p) => pdfText.includes(squash(p.text).slice(0, 60))).length}/${page.length}`);

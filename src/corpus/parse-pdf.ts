import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { extractTextItems, getDocumentProxy, getMeta } from 'unpdf';
import { addPassage, errorReason, SectionPath, titleFromFileName } from './passage.ts';
import { joinLines } from './parse-text.ts';
import { splitParagraph } from './split.ts';
import type { Document, ParseResult } from './types.ts';

/** A run of text on a PDF page, as pdf.js reports it (PDF coordinates: y grows upwards). */
export interface PdfTextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
  hasEOL: boolean;
}

/** One printed line of a page. */
export interface PdfLine {
  text: string;
  /** Baseline height on the page. */
  y: number;
  /** Font size of most of the line's characters. */
  size: number;
  /** Where the line starts and ends across the page. */
  x: number;
  end: number;
}

/**
 * Reads a PDF's text layer page by page: lines are joined into paragraphs (at a larger gap or a
 * change of font size), words hyphenated at a line end are joined again and Chinese lines join
 * without a space. Each passage's section ends with its page, "p. 3" — after the heading above it
 * ("Results › p. 3") when the PDF sets headings in a larger type. The title is the PDF's own
 * Title when it is a real one, else the file name. An encrypted or unreadable PDF, or one without
 * text (a scan), gives a warning naming the file and no document.
 */
export async function parsePdf(bytes: Uint8Array, file: string): Promise<ParseResult> {
  let pages: PdfTextItem[][];
  let metaTitle: unknown;
  try {
    // A copy: pdf.js may take over the buffer it is given. No eval: fonts are not compiled to code.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false, stopAtErrors: false, ...PDFJS_DATA });
    try {
      metaTitle = ((await getMeta(pdf).catch(() => ({ info: {} }))).info as Record<string, unknown>).Title;
      pages = (await extractTextItems(pdf)).items;
    } finally {
      await pdf.destroy();
    }
  } catch (error) {
    const name = (error as Error)?.name;
    const reason = name === 'PasswordException' ? 'encrypted PDF (it needs a password)' : `not a readable PDF (${errorReason(error)})`;
    return { documents: [], warnings: [{ file, message: `file skipped: ${reason}` }] };
  }
  const document = pdfDocument(pages, file, typeof metaTitle === 'string' ? metaTitle : null);
  if (document.passages.length === 0) {
    return { documents: [], warnings: [{ file, message: 'file skipped: no text layer (a scanned PDF? run OCR on it first)' }] };
  }
  return { documents: [document], warnings: [] };
}

/**
 * Where pdf.js finds its CMaps and standard fonts: the folders of pdfjs-dist, as paths (unpdf's
 * default passes file:// URLs, which pdf.js cannot read in Node). Without the CMaps the text of a
 * Chinese PDF whose fonts are not embedded (UniGB-UCS2-H and the like, common from older tools)
 * cannot be read at all.
 */
const PDFJS_DATA = (() => {
  try {
    const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    return { cMapUrl: join(root, 'cmaps') + '/', cMapPacked: true, standardFontDataUrl: join(root, 'standard_fonts') + '/' };
  } catch {
    return {};
  }
})();

/** The document of a PDF's pages of text items: the pure half of parsePdf. */
export function pdfDocument(pages: readonly PdfTextItem[][], file: string, metaTitle: string | null): Document {
  const title = sensiblePdfTitle(metaTitle) ?? titleFromFileName(file);
  const document: Document = { id: file, file, title, publisher: null, date: null, url: null, topic: null, passages: [] };
  const pageLines = withoutRunningLines(pages.map((items) => linesOf(items).filter((line) => !isPageNumber(line.text))));
  const all = pageLines.flat();
  const body = bodySize(all);
  const newParagraph = paragraphBreaks(pageLines, body);
  const headingLevels = headingSizes(all, body);
  const hyphenated = hyphenatedWords(all);
  const path = new SectionPath();
  const titleKey = key(title);
  // A largest heading found on the first page only, above smaller ones, is the document's own
  // heading (its title as printed), not a section: like Markdown's first "# ".
  const top = [...headingLevels].find(([, level]) => level === 1)?.[0];
  const printedTitle = top !== undefined && headingLevels.size > 1 && pageLines.every((lines, p) => p === 0 || lines.every((line) => line.size !== top));

  pageLines.forEach((lines, p) => {
    let paragraph: string[] = [];
    const flush = () => {
      const text = joinPdfLines(paragraph, hyphenated);
      paragraph = [];
      const section = [path.current, `p. ${p + 1}`].filter(Boolean).join(' › ');
      for (const part of splitParagraph(text)) addPassage(document, part, section);
    };
    let previous: PdfLine | undefined;
    let heading: { level: number; text: string } | undefined;
    const endHeading = () => {
      if (heading && key(heading.text) !== titleKey && !(printedTitle && heading.level === 1)) path.enter(heading.level - (printedTitle ? 1 : 0), heading.text);
      heading = undefined;
    };
    for (const line of lines) {
      const level = headingLevels.get(roundSize(line.size));
      const apart = !previous || newParagraph(previous, line, lines);
      if (level !== undefined) {
        // A heading set on two lines (as close as lines of its size go) is one heading.
        const wrapped = heading && heading.level === level && previous && previous.y - line.y > 0 && previous.y - line.y <= line.size * 1.3;
        if (heading && wrapped) heading.text = joinLines([heading.text, line.text]);
        else {
          flush();
          endHeading();
          heading = { level, text: line.text.trim() };
        }
      } else {
        endHeading();
        if (apart) flush();
        paragraph.push(line.text);
      }
      previous = line;
    }
    endHeading();
    flush();
  });
  return document;
}

/** Groups a page's text items into lines: a line ends where pdf.js marks one or the baseline moves. */
export function linesOf(items: readonly PdfTextItem[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let text = '';
  let y = 0;
  let startX = 0;
  let endX = 0;
  let sizes = new Map<number, number>();
  const end = () => {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (clean) lines.push({ text: clean, y, size: [...sizes].sort((a, b) => b[1] - a[1])[0]![0], x: startX, end: endX });
    text = '';
    sizes = new Map();
  };
  for (const item of items) {
    const size = item.fontSize || 1;
    if (item.str) {
      if (text && Math.abs(item.y - y) > size * 0.5) end();
      if (!text) {
        y = item.y;
        startX = item.x;
      }
      // Words drawn as separate runs with a gap between them get the space the PDF left out.
      else if (item.x - endX > size * 0.15 && !/\s$/.test(text) && !/^\s/.test(item.str)) text += ' ';
      text += item.str;
      endX = item.x + item.width;
      const chars = item.str.trim().length;
      if (chars) sizes.set(roundSize(size), (sizes.get(roundSize(size)) ?? 0) + chars);
    }
    if (item.hasEOL) end();
  }
  end();
  return lines;
}

/**
 * Joins the lines of one paragraph: a word hyphenated across a line end is whole again
 * ("infra-" + "structure"), unless the document spells it with a hyphen elsewhere ("well-known");
 * a hyphen before a capital or a digit stays ("China-" + "Kyrgyzstan"); Chinese lines join
 * without a space; other lines with one.
 */
export function joinPdfLines(lines: readonly string[], hyphenated: ReadonlySet<string> = new Set()): string {
  const merged: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    const previous = merged.at(-1);
    if (previous === undefined || !line) {
      if (line) merged.push(line);
      continue;
    }
    const broken = /(\p{L}+)([-\u00ad\u2010])$/u.exec(previous);
    const next = /^[\p{L}\p{N}]+/u.exec(line)?.[0];
    if (broken && next) {
      const soft = broken[2] === '\u00ad';
      const keep = !soft && (!/^\p{Ll}/u.test(next) || !/\p{Ll}$/u.test(broken[1]!) || hyphenated.has(`${broken[1]}-${next}`.toLowerCase()));
      merged[merged.length - 1] = previous.slice(0, -1) + (keep ? '-' : '') + line;
    } else if (CJK_END.test(previous) && CJK_START.test(line)) {
      merged[merged.length - 1] = previous + line;
    } else merged.push(line);
  }
  return joinLines(merged);
}

const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff01-\\uff60';
const CJK_END = new RegExp(`[${CJK}”’]$`, 'u');
const CJK_START = new RegExp(`^[${CJK}“‘]`, 'u');

/** Words written with a hyphen inside a line anywhere in the document, lower-cased. */
function hyphenatedWords(lines: readonly PdfLine[]): Set<string> {
  const words = new Set<string>();
  for (const line of lines) for (const match of line.text.matchAll(/\p{L}+(?:-\p{L}+)+/gu)) {
    const parts = match[0].toLowerCase().split('-');
    for (let i = 1; i < parts.length; i++) words.add(`${parts[i - 1]}-${parts[i]}`);
  }
  return words;
}

/**
 * Drops running heads and feet: a line repeated (numbers aside) at the top or the bottom of more
 * than half the pages of a document of three pages or more is the page's furniture, not text.
 */
function withoutRunningLines(pages: PdfLine[][]): PdfLine[][] {
  if (pages.length < 3) return pages;
  const shape = (line: PdfLine) => line.text.replace(/\d+/g, '#').toLowerCase();
  const edges = (lines: PdfLine[]) => [...lines.slice(0, 2), ...lines.slice(-2)];
  const pagesWith = new Map<string, number>();
  for (const lines of pages) for (const key of new Set(edges(lines).map(shape))) pagesWith.set(key, (pagesWith.get(key) ?? 0) + 1);
  const running = new Set([...pagesWith].filter(([, count]) => count > pages.length / 2).map(([key]) => key));
  if (running.size === 0) return pages;
  return pages.map((lines) => {
    const edge = new Set(edges(lines));
    return lines.filter((line) => !(edge.has(line) && running.has(shape(line))));
  });
}

/** A line that is only a page number ("12", "- 12 -", "Page 3 of 9", "第 3 页"): not text. */
const isPageNumber = (text: string) => /^(?:[-–—]?\s*(?:page\s*)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?\s*[-–—]?|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?)$/i.test(text);

const roundSize = (size: number) => Math.round(size * 2) / 2;

/** The font size most characters of the document are set in: its body text. */
function bodySize(lines: readonly PdfLine[]): number {
  const chars = new Map<number, number>();
  for (const line of lines) chars.set(line.size, (chars.get(line.size) ?? 0) + line.text.length);
  return [...chars].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 12;
}

/** Lines of Chinese and of Latin script sit at different distances in the same type size. */
const spacingKey = (line: PdfLine) => `${line.size}|${/\p{Script=Han}/u.test(line.text.slice(0, 8)) ? 'han' : 'other'}`;

/**
 * Decides where a paragraph starts, from what a printed page keeps of it: a change of type size,
 * a jump up (a new column), a gap larger than the usual line spacing (of that size and script, so
 * Chinese and Latin lines are each judged by their own), a first line indented, or a previous
 * line that ends a sentence well short of the right margin.
 */
function paragraphBreaks(pages: readonly PdfLine[][], body: number): (previous: PdfLine, line: PdfLine, page: readonly PdfLine[]) => boolean {
  const gaps = new Map<string, number[]>();
  for (const lines of pages) {
    for (let i = 1; i < lines.length; i++) {
      const [a, b] = [lines[i - 1]!, lines[i]!];
      if (a.size !== b.size || !(a.y > b.y)) continue;
      const key = spacingKey(b);
      const list = gaps.get(key);
      if (list) list.push(a.y - b.y);
      else gaps.set(key, [a.y - b.y]);
    }
  }
  // The lower median: most gaps between lines of one size and script are within a paragraph.
  const usual = new Map([...gaps].map(([key, list]) => [key, list.sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)]!]));
  const margins = new WeakMap<readonly PdfLine[], { left: number; right: number }>();
  const marginsOf = (page: readonly PdfLine[]) => {
    let found = margins.get(page);
    if (!found) {
      const bodyLines = page.filter((line) => line.size === body);
      const lefts = bodyLines.map((line) => line.x).sort((a, b) => a - b);
      const rights = bodyLines.map((line) => line.end).sort((a, b) => a - b);
      found = { left: lefts[Math.floor(lefts.length / 2)] ?? 0, right: rights[Math.floor(rights.length * 0.9)] ?? Infinity };
      margins.set(page, found);
    }
    return found;
  };
  return (previous, line, page) => {
    if (Math.abs(previous.size - line.size) > 0.1 * body || !(previous.y - line.y > 0)) return true;
    const usualGap = usual.get(spacingKey(line)) ?? line.size * 1.2;
    if (previous.y - line.y > usualGap * 1.3) return true;
    const { left, right } = marginsOf(page);
    const em = line.size;
    if (line.x > left + em * 0.8 && line.x < left + em * 4 && Math.abs(previous.x - left) < em * 0.5) return true;
    return previous.end < right - em * 3 && /[.!?。！？:：;；"”)）]$/u.test(previous.text);
  };
}

/**
 * Heading levels by font size: short lines set at least 15 % larger than the body are headings,
 * the largest size level 1. Sizes are the PDF's only trace of a heading once it is printed.
 */
function headingSizes(lines: readonly PdfLine[], body: number): Map<number, number> {
  const sizes = new Set<number>();
  for (const line of lines) if (line.size >= body * 1.15 && line.text.length <= 120) sizes.add(line.size);
  return new Map([...sizes].sort((a, b) => b - a).map((size, i) => [size, Math.min(i + 1, 6)]));
}

/**
 * A PDF's Title as a document title, or null when it is not one: empty, a placeholder
 * ("Untitled", "Microsoft Word - report.docx"), a file name, or no letters at all.
 */
export function sensiblePdfTitle(raw: string | null | undefined): string | null {
  const title = raw?.replace(/^\s*Microsoft (?:Word|PowerPoint|Excel)\s*-\s*/i, '').replace(/\s+/g, ' ').trim();
  if (!title || title.length > 200 || !/\p{L}/u.test(title)) return null;
  if (/^(?:untitled|title|document\s*\d*|doc\d*|presentation\s*\d*|slide\s*\d+|无标题|新建.*)$/iu.test(title)) return null;
  if (/\.(?:docx?|pdf|odt|rtf|tex|pptx?|xlsx?|indd|html?|txt|md)$/i.test(title) || /^[\w.-]+\.\w{2,4}$/.test(title)) return null;
  return title;
}

const key = (text: string | null) => (text ?? '').normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

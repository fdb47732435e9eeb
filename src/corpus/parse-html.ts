import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { HEADING_LEVEL_ATTRIBUTE, walkBlocks, type Block, type DomNode } from './html-blocks.ts';
import { addPassage, errorReason, titleFromFileName } from './passage.ts';
import { splitParagraph } from './split.ts';
import type { Document, ParseResult } from './types.ts';

/** What the reader needs of a linkedom document (this project has no DOM lib to type it with). */
interface HtmlDocument extends DomNode {
  documentElement: DomNode | null;
  title: string;
  body: HtmlElement | null;
  querySelector(selector: string): HtmlElement | null;
  querySelectorAll(selector: string): ArrayLike<HtmlElement>;
  cloneNode(deep: boolean): HtmlDocument;
}
interface HtmlElement extends DomNode {
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  remove(): void;
}

/**
 * Page furniture that is never the document's text: navigation, headers and footers, sidebars,
 * forms, cookie and newsletter banners. Removed before looking for the main content, so it cannot
 * be indexed even when Readability finds no article and the whole <main> or <body> is read.
 */
const FURNITURE = [
  'script', 'style', 'noscript', 'template', 'iframe', 'svg', 'nav', 'footer', 'aside', 'form', 'dialog',
  'body > header', '[role=navigation]', '[role=banner]', '[role=contentinfo]', '[role=complementary]', '[role=dialog]', '[aria-hidden=true]', '[hidden]',
  '[id*=cookie i]', '[class*=cookie i]', '[id*=consent i]', '[class*=consent i]', '[class*=newsletter i]', '[class*=breadcrumb i]',
].join(',');

/** Main content below this many characters is not an article: Readability's answer is not used. */
const MIN_ARTICLE_CHARS = 200;

/**
 * Reads an HTML page: its main content only (Readability's article, or else <main>, <article> or
 * <body> without the page furniture), its headings as section paths, and its metadata — publisher
 * from og:site_name or application-name, date from article:published_time, <time datetime> or a
 * date meta tag, url from the canonical link or og:url. Synchronous: linkedom and Readability are.
 */
export function parseHtml(text: string, file: string): ParseResult {
  try {
    return readPage(text, file);
  } catch (error) {
    // linkedom and Readability are forgiving, but a page is the operator's input: never throw.
    return { documents: [], warnings: [{ file, message: `file skipped: unreadable HTML (${errorReason(error)})` }] };
  }
}

function readPage(text: string, file: string): ParseResult {
  const page = parsePage(text);
  const meta = (selector: string) => clean(page.querySelector(selector)?.getAttribute('content'));
  for (const node of Array.from(page.querySelectorAll(FURNITURE))) node.remove();

  // Readability makes every <h1> an <h2>: the level each heading had goes along as an attribute.
  for (const heading of Array.from(page.querySelectorAll('h1,h2,h3,h4,h5,h6'))) heading.setAttribute(HEADING_LEVEL_ATTRIBUTE, heading.nodeName.slice(1));
  // Readability changes the document it reads: it gets a copy, and we keep the page for the fallback.
  const article = readArticle(page.cloneNode(true));
  const title = clean(article?.title) ?? meta('meta[property="og:title"]') ?? clean(page.title) ?? titleFromFileName(file);
  const document: Document = {
    id: file,
    file,
    title,
    publisher: meta('meta[property="og:site_name"]') ?? meta('meta[name="application-name"]') ?? clean(article?.siteName),
    date: isoDate(meta('meta[property="article:published_time"]')) ?? isoDate(page.querySelector('time[datetime]')?.getAttribute('datetime')) ??
      isoDate(meta('meta[name="date"]') ?? meta('meta[name="dc.date" i]') ?? meta('meta[itemprop="datePublished"]')) ?? isoDate(article?.publishedTime),
    url: clean(page.querySelector('link[rel="canonical"]')?.getAttribute('href')) ?? meta('meta[property="og:url"]'),
    topic: null,
    passages: [],
  };

  // A page's only <h1> is its printed title (often the <title> without the site's name), not a section.
  const h1s = Array.from(page.querySelectorAll('h1'));
  const printedTitle = h1s.length === 1 ? clean(h1s[0]!.textContent) : null;
  const walk = { title, isTitleHeading: (heading: DomNode) => printedTitle !== null && clean(heading.textContent) === printedTitle };
  let blocks: Block[] = article?.content ? walkBlocks(article.content, walk) : [];
  if (charCount(blocks) < MIN_ARTICLE_CHARS) {
    const fallback = page.querySelector('main') ?? page.querySelector('article') ?? page.querySelector('[role=main]') ?? page.body ?? page;
    const whole = walkBlocks(fallback, walk);
    if (charCount(whole) > charCount(blocks)) blocks = whole;
  }
  for (const block of blocks) {
    for (const part of splitParagraph(block.text)) addPassage(document, part, block.section);
  }
  return { documents: document.passages.length ? [document] : [], warnings: [] };
}

/**
 * The page as a document with an <html> root: linkedom takes the first element of a bare fragment
 * ("<p>…</p>") for the root and puts an empty <body> inside it, and a page whose first element
 * swallows the rest ("<style><html>…") has no root at all; both are read again wrapped.
 */
function parsePage(text: string): HtmlDocument {
  const wrapped = () => parseHTML(/<body[\s>]/i.test(text) ? `<html>${text}</html>` : `<html><body>${text}</body></html>`).document as HtmlDocument;
  if (!/^\s*(?:<!--[\s\S]*?-->\s*|<![^>]*>\s*|<\?[^>]*>\s*)*<html[\s>]/i.test(text)) return wrapped();
  const page = parseHTML(text).document as HtmlDocument;
  return page.documentElement?.nodeName.toUpperCase() === 'HTML' ? page : wrapped();
}

/** Readability's article, its content as a DOM node; null when it finds none (or fails). */
function readArticle(page: HtmlDocument): { title?: string | null; siteName?: string | null; publishedTime?: string | null; content?: DomNode | null } | null {
  try {
    // charThreshold: a short page (a notice, a one-paragraph release) is still an article.
    return new Readability<DomNode>(page as never, { charThreshold: MIN_ARTICLE_CHARS, serializer: (node) => node as unknown as DomNode }).parse();
  } catch {
    return null;
  }
}

const charCount = (blocks: Block[]) => blocks.reduce((sum, block) => sum + block.text.length, 0);

/** Trimmed, white space collapsed; null when empty. */
function clean(value: string | null | undefined): string | null {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text : null;
}

/** The `YYYY-MM-DD` a date attribute starts with (ISO dates and timestamps), else null. */
export function isoDate(value: string | null | undefined): string | null {
  const match = /^\s*(\d{4})-(\d{2})-(\d{2})(?![\d])/.exec(value ?? '');
  if (!match) return null;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 1000 ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** parseHtml on a file's bytes, decoded as decodeHtml says. */
export function parseHtmlBytes(bytes: Uint8Array, file: string): ParseResult {
  return parseHtml(decodeHtml(bytes), file);
}

/**
 * An HTML file's text, in the encoding its byte order mark or its `<meta charset>` names (older
 * Chinese pages are often GBK or Big5), else UTF-8. An encoding Node does not know reads as UTF-8.
 */
export function decodeHtml(bytes: Uint8Array): string {
  const bom = bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 'utf-8' : undefined;
  // The head is ASCII in every encoding a page can declare itself in; a byte-wise decoding finds the declaration.
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const declared = /<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
  for (const label of [bom, declared]) {
    if (!label) continue;
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // not an encoding Node knows: try the next
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

import JSZip from 'jszip';
import { parseHTML } from 'linkedom';
import mammoth from 'mammoth';
import { walkBlocks, type DomNode } from './html-blocks.ts';
import { addPassage, errorReason, titleFromFileName } from './passage.ts';
import { splitParagraph } from './split.ts';
import type { Document, ParseResult } from './types.ts';

/** Word's Title style becomes a heading we recognise as the title, never a section. */
const TITLE_CLASS = 'docx-title';
const STYLE_MAP = [`p[style-name='Title'] => h1.${TITLE_CLASS}:fresh`, `p[style-name='Subtitle'] => p:fresh`];

/**
 * Reads a Word document: mammoth turns it into HTML, whose headings (Heading 1, Heading 2, …)
 * give the section paths through the same walker as HTML pages. The title is the document's
 * core property Title, else its first paragraph in the Title style, else the file name. (No date:
 * the file's creation date says when it was saved, not when it was published.) A file that is not a readable .docx gives a warning
 * naming it and no document.
 */
export async function parseDocx(bytes: Uint8Array, file: string): Promise<ParseResult> {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const properties = await coreProperties(buffer);
    const html = (await mammoth.convertToHtml({ buffer }, { styleMap: STYLE_MAP, includeDefaultStyleMap: true })).value;
    return { documents: docxDocuments(html, file, properties), warnings: [] };
  } catch (error) {
    return { documents: [], warnings: [{ file, message: `file skipped: not a readable .docx (${errorReason(error)})` }] };
  }
}

/** The core properties (docProps/core.xml) a source line uses. */
export interface CoreProperties {
  title: string | null;
}

/** The document of mammoth's HTML of a .docx: the pure half of parseDocx. */
export function docxDocuments(html: string, file: string, properties: CoreProperties): Document[] {
  const body = parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`).document.body as DomNode & { querySelector(s: string): DomNode | null };
  const styledTitle = body.querySelector(`h1.${TITLE_CLASS}`)?.textContent?.replace(/\s+/g, ' ').trim() || null;
  const document: Document = {
    id: file,
    file,
    title: properties.title ?? styledTitle ?? titleFromFileName(file),
    publisher: null,
    date: null,
    url: null,
    topic: null,
    passages: [],
  };
  const blocks = walkBlocks(body, { title: document.title, isTitleHeading: (heading) => heading.getAttribute?.('class') === TITLE_CLASS });
  for (const block of blocks) for (const part of splitParagraph(block.text)) addPassage(document, part, block.section);
  return document.passages.length ? [document] : [];
}

/** The title from the package's core properties; null when missing. */
async function coreProperties(buffer: Buffer): Promise<CoreProperties> {
  const zip = await JSZip.loadAsync(buffer);
  const xml = (await zip.file('docProps/core.xml')?.async('string')) ?? '';
  const field = (name: string) => {
    const raw = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
    const text = raw === undefined ? '' : decodeXml(raw).replace(/\s+/g, ' ').trim();
    return text || null;
  };
  return { title: field('dc:title') };
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    const code = hex ? parseInt(hex, 16) : dec ? Number(dec) : undefined;
    if (code !== undefined) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    return XML_ENTITIES[name!.toLowerCase()] ?? whole;
  });
}

/**
 * The heading walker shared by the HTML and DOCX readers (DOCX is read as the HTML mammoth makes
 * of it): a DOM tree in, its paragraphs out, each with the path of the headings above it.
 * Pure: it only reads the tree it is given.
 */

import { SectionPath } from './passage.ts';

/** The little of a DOM node the walker needs; linkedom's nodes have it (no DOM lib in this project). */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  childNodes: ArrayLike<DomNode>;
  textContent: string | null;
  getAttribute?(name: string): string | null;
}

/**
 * A heading's level as the page wrote it, when something renamed the heading since (Readability
 * turns every <h1> of an article into an <h2>): marked before, read here instead of the tag.
 */
export const HEADING_LEVEL_ATTRIBUTE = 'data-citebot-level';

/** A paragraph of running text and the section path it sits under ("A › B"), null before any heading. */
export interface Block {
  text: string;
  section: string | null;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
const DOCUMENT_NODE = 9;
const FRAGMENT_NODE = 11;

/** Elements that end the paragraph before them and start a new one. */
const BLOCK_ELEMENTS = new Set(
  'ADDRESS ARTICLE ASIDE BLOCKQUOTE BODY CAPTION DD DETAILS DIV DL DT FIELDSET FIGCAPTION FIGURE FOOTER FORM HEADER HR LI MAIN NAV OL P PRE SECTION SUMMARY TABLE TBODY TFOOT THEAD TR UL'.split(' '),
);
/** Elements whose text is never document text. */
const SKIPPED_ELEMENTS = new Set('SCRIPT STYLE NOSCRIPT TEMPLATE IFRAME SVG CANVAS OBJECT BUTTON SELECT TEXTAREA'.split(' '));

/**
 * Collapses a block's white space like a browser does, except that a line break between two
 * Chinese characters disappears (a browser shows a space there, which splits Chinese words).
 */
export function cleanBlockText(text: string): string {
  return text
    .replace(/(\p{Script=Han}[，。！？、；：]?)[ \t\r\n\u00a0]*\n[ \t\r\n\u00a0]*(?=\p{Script=Han})/gu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface WalkOptions {
  /**
   * A heading equal to the document's title (case and spacing aside) is the title shown above
   * the text, not a section: it is left out of the path.
   */
  title?: string | null;
  /** True for a heading that is the document's title by its markup (e.g. DOCX's Title style). */
  isTitleHeading?: (heading: DomNode) => boolean;
}

/**
 * Walks `root` in document order and returns its paragraphs (block elements' text, entities
 * decoded, white space collapsed) with their section paths from the h1–h6 above them; scripts,
 * styles and form controls are skipped. Headings themselves are not paragraphs.
 */
export function walkBlocks(root: DomNode, options: WalkOptions = {}): Block[] {
  const blocks: Block[] = [];
  const path = new SectionPath();
  const titleKey = options.title ? headingKey(options.title) : null;
  let buffer = '';
  const flush = () => {
    const text = cleanBlockText(buffer);
    buffer = '';
    if (text) blocks.push({ text, section: path.current });
  };
  // Depth-first with a stack of its own: a page may nest elements deeper than the call stack goes.
  // An entry is a node to open, or the block element whose end is reached.
  const stack: Array<DomNode | { closes: DomNode }> = [root];
  while (stack.length) {
    const entry = stack.pop()!;
    if ('closes' in entry) {
      flush();
      continue;
    }
    const node = entry;
    if (node.nodeType === TEXT_NODE) {
      buffer += node.textContent ?? '';
      continue;
    }
    const container = node.nodeType === DOCUMENT_NODE || node.nodeType === FRAGMENT_NODE;
    if (!container && node.nodeType !== ELEMENT_NODE) continue;
    const name = container ? '' : node.nodeName.toUpperCase();
    if (SKIPPED_ELEMENTS.has(name)) continue;
    const heading = /^H([1-6])$/.exec(name);
    if (heading) {
      flush();
      const text = cleanBlockText(node.textContent ?? '');
      const isTitle = options.isTitleHeading?.(node) || (titleKey !== null && headingKey(text) === titleKey);
      const level = Number(node.getAttribute?.(HEADING_LEVEL_ATTRIBUTE) ?? heading[1]) || Number(heading[1]);
      if (text && !isTitle) path.enter(level, text);
      continue;
    }
    if (name === 'BR') {
      buffer += '\n';
      continue;
    }
    // Cells of a row stay one paragraph, a space apart.
    if (name === 'TD' || name === 'TH') buffer += ' ';
    if (BLOCK_ELEMENTS.has(name)) {
      flush();
      stack.push({ closes: node });
    }
    for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!);
  }
  flush();
  return blocks;
}

const headingKey = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

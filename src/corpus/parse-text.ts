import { addPassage, titleFromFileName } from './passage.ts';
import { splitParagraph } from './split.ts';
import type { Document, ParseResult } from './types.ts';

/** Joins the lines of one paragraph; Chinese lines join without a space. */
export function joinLines(lines: string[]): string {
  return lines.reduce((text, line) => {
    const next = line.trim();
    if (!next) return text;
    if (!text) return next;
    const glue = /\p{Script=Han}[，。！？、；：]?$/u.test(text) && /^\p{Script=Han}/u.test(next) ? '' : ' ';
    return text + glue + next;
  }, '');
}

/** Parses plain text: blank lines separate paragraphs; each paragraph is one or more passages. */
export function parseText(text: string, file: string, idPrefix: string): ParseResult {
  const document: Document = {
    id: idPrefix,
    file,
    title: titleFromFileName(file),
    publisher: null,
    date: null,
    url: null,
    topic: null,
    passages: [],
  };
  for (const block of text.split(/\r?\n\s*\r?\n/)) {
    for (const part of splitParagraph(joinLines(block.split(/\r?\n/)))) addPassage(document, part, null);
  }
  return { documents: document.passages.length ? [document] : [], warnings: [] };
}

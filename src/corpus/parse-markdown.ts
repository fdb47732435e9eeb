import { addPassage, SectionPath, titleFromFileName } from './passage.ts';
import { joinLines } from './parse-text.ts';
import { splitParagraph } from './split.ts';
import type { CorpusWarning, Document, ParseResult } from './types.ts';

const FRONT_MATTER_KEYS = ['title', 'source', 'date', 'url'] as const;

/**
 * Parses Markdown: optional front matter (title, source, date, url), headings give the section
 * path, paragraphs become passages. The first level-1 heading is the title when front matter has none.
 */
export function parseMarkdown(text: string, file: string, idPrefix: string): ParseResult {
  const warnings: CorpusWarning[] = [];
  const lines = text.split(/\r?\n/);
  const meta: Partial<Record<(typeof FRONT_MATTER_KEYS)[number], string>> = {};
  let start = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
    if (end < 0) {
      warnings.push({ file, line: 1, message: 'front matter has no closing "---"; read as text' });
    } else {
      for (const line of lines.slice(1, end)) {
        const m = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(line);
        const key = m?.[1]?.toLowerCase();
        if (m && FRONT_MATTER_KEYS.includes(key as never)) meta[key as keyof typeof meta] = unquote(m[2]!);
      }
      start = end + 1;
    }
  }

  const document: Document = {
    id: idPrefix,
    file,
    title: meta.title ?? null,
    publisher: meta.source ?? null,
    date: meta.date ?? null,
    url: meta.url ?? null,
    topic: null,
    passages: [],
  };
  const headings = new SectionPath();
  let paragraph: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    const body = fence ? paragraph.join('\n').trim() : joinLines(paragraph.map(stripInline));
    paragraph = [];
    if (!body) return;
    const section = headings.current;
    for (const part of fence ? [body] : splitParagraph(body)) addPassage(document, part, section);
  };

  for (const line of lines.slice(start)) {
    const fenceMark = /^\s*(```|~~~)/.exec(line)?.[1];
    if (fence) {
      if (fenceMark === fence) {
        flush();
        fence = null;
      } else paragraph.push(line);
      continue;
    }
    if (fenceMark) {
      flush();
      fence = fenceMark;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1]!.length;
      const name = stripInline(heading[2]!);
      if (level === 1 && document.title === null) {
        document.title = name;
        continue;
      }
      headings.enter(level, name);
      continue;
    }
    if (!line.trim() || /^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      continue;
    }
    // A list item starts a passage of its own.
    if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) flush();
    paragraph.push(line.replace(/^\s*([-*+]|\d+[.)]|>)\s*/, ''));
  }
  flush();
  document.title ??= titleFromFileName(file);
  for (const passage of document.passages) passage.title = document.title;
  return { documents: document.passages.length ? [document] : [], warnings };
}

function unquote(value: string): string {
  const v = value.trim();
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** Drops inline Markdown syntax we do not render: emphasis marks, code ticks, link targets, images. */
function stripInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|\W)[*_](\S.*?\S|\S)[*_](?=\W|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1');
}

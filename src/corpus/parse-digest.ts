import { detectLang, type CorpusWarning, type Document, type ParseResult, type Passage } from './types.ts';

const MARKER = 'Search documents';
const PUBLISHER_LINE = /^(.+?)\s*·\s*(\d{4}-\d{2}-\d{2})(?:\s+(\d{1,2}:\d{2}))?\s*$/u;
/** One bullet's paragraph references, e.g. "[1][5][12]." */
const REFS = /((?:\[\d+\])+)\.?/g;

/** True when a text file is a news digest: a topic line, then a "Search documents" line. */
export function isDigest(text: string): boolean {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines[1] === MARKER;
}

/**
 * Parses a news digest: topic line, "Search documents", then articles of three lines each
 * (title; `Publisher· YYYY-MM-DD HH:MM`; a summary of named sections holding `- ` bullets that
 * end in paragraph references). Every bullet becomes one passage; an article that does not fit
 * the shape is skipped with a warning naming its line, and the others still load.
 */
export function parseDigest(text: string, file: string, idPrefix: string): ParseResult {
  const lines = text.split(/\r?\n/);
  const warnings: CorpusWarning[] = [];
  const documents: Document[] = [];
  const content = lines.map((line, i) => ({ line: line.trim(), no: i + 1 })).filter((l) => l.line);
  const topic = content[0]?.line ?? null;
  let i = 2; // after the topic and the marker
  while (i < content.length) {
    const title = content[i]!;
    const meta = content[i + 1];
    const summary = content[i + 2];
    const published = meta ? PUBLISHER_LINE.exec(meta.line) : null;
    // The line after a summary is the next title, never a publisher line; if it is, `summary` is a title.
    const next = content[i + 3];
    const hasSummary = !!summary && !PUBLISHER_LINE.test(summary.line) && !(next && PUBLISHER_LINE.test(next.line));
    if (!meta || !published || !hasSummary) {
      warnings.push({ file, line: title.no, message: `article skipped: expected a title line, a "Publisher· YYYY-MM-DD HH:MM" line and a summary line` });
      // Resynchronise on the next line that looks like a publisher line.
      const resume = content.findIndex((l, k) => k > i + 1 && PUBLISHER_LINE.test(l.line));
      if (resume < 0) break;
      i = resume - 1;
      continue;
    }
    const docId = `${idPrefix}:${documents.length + 1}`;
    const date = published[3] ? `${published[2]} ${published[3]}` : published[2]!;
    const document: Document = {
      id: docId,
      file,
      title: title.line,
      publisher: published[1]!.trim(),
      date,
      url: null,
      topic,
      passages: [],
    };
    const bullets = parseSummary(summary.line);
    if (bullets.length === 0) {
      warnings.push({ file, line: summary.no, message: 'article skipped: its summary has no "- " bullets' });
    }
    bullets.forEach((bullet, n) => {
      const passage: Passage = {
        id: `${docId}#${n + 1}`,
        docId,
        text: bullet.text,
        title: document.title,
        publisher: document.publisher,
        date,
        section: bullet.section,
        refs: bullet.refs,
        url: null,
        topic,
        lang: detectLang(bullet.text),
        file,
      };
      document.passages.push(passage);
    });
    if (document.passages.length) documents.push(document);
    i += 3;
  }
  return { documents, warnings };
}

/** A bullet of a digest summary: one passage. */
export interface DigestBullet {
  section: string | null;
  text: string;
  refs: number[];
}

/**
 * Splits one summary line into bullets. A bullet ends at its references ("[1][3]"); text before a
 * bullet's " - " that is not itself a bullet is the name of a new section.
 */
export function parseSummary(summary: string): DigestBullet[] {
  const bullets: DigestBullet[] = [];
  let section: string | null = null;
  let start = 0;
  const take = (segment: string, refs: number[]) => {
    let body = segment.trim();
    if (!body) return;
    if (body.startsWith('- ') || body === '-') {
      body = body.slice(1).trim();
    } else {
      const dash = body.indexOf(' - ');
      // Text that is neither a bullet nor a section heading with one is not a summary.
      if (dash < 0) return;
      section = body.slice(0, dash).trim();
      body = body.slice(dash + 3).trim();
    }
    body = body.replace(/\s+/g, ' ').trim();
    if (body) bullets.push({ section, text: body, refs });
  };
  for (const match of summary.matchAll(REFS)) {
    const refs = [...match[1]!.matchAll(/\d+/g)].map((m) => Number(m[0]));
    take(summary.slice(start, match.index), refs);
    start = match.index + match[0].length;
  }
  take(summary.slice(start), []);
  return bullets;
}

import { detectLang, type CorpusWarning, type Document, type Lang, type ParseResult } from './types.ts';

const OPTIONAL = ['title', 'source', 'date', 'url', 'section'] as const;

/**
 * Parses JSON Lines: one document per line, `id` and `text` required; `title`, `source`, `date`,
 * `url`, `section`, `lang` optional. Each record is one passage whose id is the record's id, so
 * evaluation tools can match results to their gold ids. A bad line is skipped with a warning.
 */
export function parseJsonl(text: string, file: string): ParseResult {
  const documents: Document[] = [];
  const warnings: CorpusWarning[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      warnings.push({ file, line, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      warnings.push({ file, line, message: 'expected a JSON object' });
      return;
    }
    const r = record as Record<string, unknown>;
    const id = typeof r.id === 'number' ? String(r.id) : r.id;
    const problems: string[] = [];
    if (typeof id !== 'string' || !id.trim()) problems.push('"id" must be a non-empty string');
    if (typeof r.text !== 'string' || !r.text.trim()) problems.push('"text" must be a non-empty string');
    for (const key of [...OPTIONAL, 'lang'] as const) {
      if (r[key] != null && typeof r[key] !== 'string') problems.push(`"${key}" must be a string`);
    }
    if (typeof id === 'string' && seen.has(id)) problems.push(`duplicate id "${id}"`);
    if (problems.length) {
      warnings.push({ file, line, message: `record skipped: ${problems.join('; ')}` });
      return;
    }
    const docId = id as string;
    seen.add(docId);
    const field = (key: (typeof OPTIONAL)[number]) => (typeof r[key] === 'string' && r[key].trim() ? r[key].trim() : null);
    const body = (r.text as string).replace(/\s+/g, ' ').trim();
    const lang = typeof r.lang === 'string' && ['zh', 'en'].includes(r.lang.slice(0, 2).toLowerCase())
      ? (r.lang.slice(0, 2).toLowerCase() as Lang)
      : detectLang(body);
    const document: Document = {
      id: docId,
      file,
      title: field('title'),
      publisher: field('source'),
      date: field('date'),
      url: field('url'),
      topic: null,
      passages: [],
    };
    document.passages.push({
      id: docId,
      docId,
      text: body,
      title: document.title,
      publisher: document.publisher,
      date: document.date,
      section: field('section'),
      refs: [],
      url: document.url,
      topic: null,
      lang,
      file,
    });
    documents.push(document);
  });
  return { documents, warnings };
}

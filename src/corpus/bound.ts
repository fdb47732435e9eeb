import { MAX_PASSAGE_CHARS, splitParagraph } from './split.ts';
import type { Document, Passage } from './types.ts';

/**
 * Longest passage kept in one piece, whatever the format: a JSON Lines record or a fenced block
 * is one passage, and every question that finds one tokenizes and crops all of it (a 1 MB
 * passage held every user 4–11 s per question). Above it the text is split like any long
 * paragraph. Far above real passages (XQuAD contexts reach 3,326 characters), so evaluation ids
 * are untouched.
 */
export const MAX_PASSAGE_TEXT_CHARS = 10_000;

/** Longest title, publisher, date, section or topic kept (answers show 120 characters of a title). */
export const MAX_SOURCE_FIELD_CHARS = 300;

/** Longest url kept; a longer one is dropped rather than cut into a wrong link. */
export const MAX_URL_CHARS = 2_048;

/**
 * Holds a parsed document within bounds, so no document can make indexing or answering slow:
 * source fields are cut to MAX_SOURCE_FIELD_CHARS, and a passage longer than
 * MAX_PASSAGE_TEXT_CHARS becomes several (the first keeps its id, the others get `#2`, `#3`, …).
 */
export function boundDocument(document: Document): Document {
  const fields = boundSource(document);
  const passages: Passage[] = [];
  for (const passage of document.passages) {
    const bounded = { ...passage, ...boundSource(passage) };
    if (passage.text.length <= MAX_PASSAGE_TEXT_CHARS) {
      passages.push(bounded);
      continue;
    }
    splitParagraph(passage.text, MAX_PASSAGE_CHARS).forEach((text, i) => {
      passages.push({ ...bounded, id: i === 0 ? passage.id : `${passage.id}#${i + 1}`, text });
    });
  }
  return { ...document, ...fields, passages };
}

type SourceFields = Pick<Passage, 'title' | 'publisher' | 'date' | 'url' | 'topic'> & { section?: string | null };

function boundSource<T extends SourceFields>(source: T): SourceFields {
  const bounded: SourceFields = {
    title: cut(source.title),
    publisher: cut(source.publisher),
    date: cut(source.date),
    topic: cut(source.topic),
    url: source.url && source.url.length > MAX_URL_CHARS ? null : source.url,
  };
  if ('section' in source) bounded.section = cut(source.section ?? null);
  return bounded;
}

/** Cuts a field to MAX_SOURCE_FIELD_CHARS with "…", never inside a surrogate pair. */
function cut(text: string | null): string | null {
  if (text === null || text.length <= MAX_SOURCE_FIELD_CHARS) return text;
  let end = MAX_SOURCE_FIELD_CHARS - 1;
  if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
  return `${text.slice(0, end)}…`;
}

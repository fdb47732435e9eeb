import { detectLang, type Document, type Passage } from './types.ts';

/** Fields a parser knows about a document before it has passages. */
export type DocumentHeader = Omit<Document, 'passages'>;

/** Builds a passage of a document, numbering it after the ones it already has. */
export function addPassage(document: Document, text: string, section: string | null, id?: string): Passage {
  const passage: Passage = {
    id: id ?? `${document.id}#${document.passages.length + 1}`,
    docId: document.id,
    text,
    title: document.title,
    publisher: document.publisher,
    date: document.date,
    section,
    refs: [],
    url: document.url,
    topic: document.topic,
    lang: detectLang(text),
    file: document.file,
  };
  document.passages.push(passage);
  return passage;
}

/** Turns a file name into a readable title: "road-map_2024.md" → "road map 2024". */
export function titleFromFileName(file: string): string {
  const base = file.split('/').pop() ?? file;
  return base.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ').trim() || base;
}

/**
 * The title a source line shows: the document's own, else one made from its file name, so a
 * passage from an untitled JSON Lines record still says where it comes from (as text files do).
 */
export function titleOf(passage: Pick<Passage, 'title' | 'file'>): string {
  return passage.title || titleFromFileName(passage.file);
}

/**
 * Keeps the path of headings above the current point, the way an outline does: a heading of level
 * n replaces the one of level n and drops deeper ones. Markdown and HTML headings both use it.
 */
export class SectionPath {
  private readonly headings: string[] = [];

  /** A heading of `level` (1 = top) named `name` starts here. */
  enter(level: number, name: string): void {
    this.headings.length = level - 1;
    this.headings[level - 1] = name;
  }

  /** The section of what follows: "A › B", or null before any heading. */
  get current(): string | null {
    return this.headings.filter(Boolean).join(' › ') || null;
  }
}

/** The first line of an error's message, at most 160 characters: enough to say why a file was skipped. */
export function errorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0]!.split(/ If it is,/)[0]!.trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line || (error as Error)?.name || 'unknown error';
}

/** A language we tokenize and label passages with; anything else is `'other'`. */
export type Lang = 'zh' | 'en' | 'other';

/** Where a passage comes from: everything a reader needs to cite it. */
export interface Source {
  /** Title of the document (article, file, JSONL record). */
  title: string | null;
  /** Publisher or origin, e.g. "Xin Hua Wang". */
  publisher: string | null;
  /** ISO date `YYYY-MM-DD`, optionally followed by ` HH:MM`. */
  date: string | null;
  /** Section path inside the document, e.g. "Core Points" or "Setup › Tokens". */
  section: string | null;
  /** Paragraph references of the original, e.g. [1, 3] for "[1][3]". */
  refs: number[];
  url: string | null;
}

/** The unit we index and answer with. */
export interface Passage extends Source {
  /** Stable id: the JSONL record id, or `docId#n`. */
  id: string;
  /** Id of the document the passage belongs to. */
  docId: string;
  text: string;
  /** Topic line of a digest, when the file has one. */
  topic: string | null;
  lang: Lang;
  /** File the passage was read from, relative to the data folder. */
  file: string;
}

/** A document as parsed from one file (or one JSONL line), before indexing. */
export interface Document {
  id: string;
  file: string;
  title: string | null;
  publisher: string | null;
  date: string | null;
  url: string | null;
  topic: string | null;
  passages: Passage[];
}

/** A problem found while reading the corpus: the file, and the line when we know it. */
export interface CorpusWarning {
  file: string;
  line?: number;
  message: string;
}

/** What a parser returns: documents it could read and warnings for the parts it could not. */
export interface ParseResult {
  documents: Document[];
  warnings: CorpusWarning[];
}

const HAN = /\p{Script=Han}/gu;
const LETTER = /\p{L}/gu;

/** Guesses a passage's language from its script mix: mostly Han is Chinese, mostly Latin is English. */
export function detectLang(text: string): Lang {
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters === 0) return 'other';
  const han = text.match(HAN)?.length ?? 0;
  if (han / letters >= 0.3) return 'zh';
  const latin = text.match(/[a-z]/gi)?.length ?? 0;
  return latin / letters >= 0.5 ? 'en' : 'other';
}

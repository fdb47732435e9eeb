import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, sep } from 'node:path';
import { isDigest, parseDigest } from './parse-digest.ts';
import { parseJsonl } from './parse-jsonl.ts';
import { parseMarkdown } from './parse-markdown.ts';
import { parseText } from './parse-text.ts';
import type { CorpusWarning, Document, ParseResult, Passage } from './types.ts';

/** The corpus could not be used at all: no folder, or no passage in it. */
export class CorpusError extends Error {
  override name = 'CorpusError';
  /** What was skipped on the way, so the operator sees why nothing was left. */
  constructor(message: string, readonly warnings: CorpusWarning[] = []) {
    super(message);
  }
}

/** Everything read from the data folder, ready to index. */
export interface Corpus {
  documents: Document[];
  /** Unique passages, in file order. */
  passages: Passage[];
  /** Files or lines that were skipped, each with its reason. */
  warnings: CorpusWarning[];
  /** Files ignored because their extension is not one we read. */
  ignored: string[];
  /** Passages dropped because an identical one was already indexed. */
  duplicates: number;
}

/** Extensions we read, and their parsers. */
const PARSERS: Record<string, (text: string, file: string, id: string) => ParseResult> = {
  '.txt': (text, file, id) => (isDigest(text) ? parseDigest(text, file, id) : parseText(text, file, id)),
  '.md': parseMarkdown,
  '.markdown': parseMarkdown,
  '.jsonl': (text, file) => parseJsonl(text, file),
};

/**
 * Extensions read from their bytes, by readers that may be async (PDF and DOCX are binary; HTML
 * names its own encoding). Each reader is imported on first use: pdf.js, mammoth and linkedom
 * cost start-up time a folder without such files should not pay.
 */
const BYTE_READERS: Record<string, (bytes: Uint8Array, file: string) => ParseResult | Promise<ParseResult>> = {
  '.pdf': async (bytes, file) => (await import('./parse-pdf.ts')).parsePdf(bytes, file),
  '.docx': async (bytes, file) => (await import('./parse-docx.ts')).parseDocx(bytes, file),
  '.html': async (bytes, file) => (await import('./parse-html.ts')).parseHtmlBytes(bytes, file),
  '.htm': async (bytes, file) => (await import('./parse-html.ts')).parseHtmlBytes(bytes, file),
};

/**
 * Every extension the loader reads. Part of the index snapshot's key: a snapshot made before a
 * reader existed lacks that kind of file, and must not stand for a folder holding some.
 */
export const READ_EXTENSIONS: readonly string[] = [...Object.keys(PARSERS), ...Object.keys(BYTE_READERS)];

/** Files in the data folder that configure search rather than hold documents. */
export const isSettingsFile = (file: string): boolean => /(^|\/)aliases\.[a-z]+$/i.test(file);

/** Parses one file's text by its extension; `undefined` when we do not read that kind of file. */
export function parseFile(text: string, file: string): ParseResult | undefined {
  const parse = PARSERS[extname(file).toLowerCase()];
  if (!parse) return undefined;
  return parse(text.replace(/^\uFEFF/, ''), file, file);
}

/**
 * Reads every document under `dir` (recursively, in name order; `dir` may also be one file). A file that cannot be read or
 * parsed is skipped with a warning and the rest still loads; identical passages are kept once.
 * Throws CorpusError when the folder is missing or yields no passage at all.
 */
export async function loadCorpus(dir: string): Promise<Corpus> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new CorpusError(`data folder not found: ${dir} (set DATA_DIR or pass --data DIR)`);
  // A single file stands for a folder holding just that file (handy for evaluation corpora).
  const root = info.isDirectory() ? dir : dirname(dir);
  const paths = info.isDirectory() ? await listFiles(dir) : [dir];
  const corpus: Corpus = { documents: [], passages: [], warnings: [], ignored: [], duplicates: 0 };
  const seen = new Set<string>();
  const ids = new Map<string, string>();
  for (const path of paths) {
    const file = relative(root, path).split(sep).join('/');
    if (isSettingsFile(file)) continue;
    const readBytes = BYTE_READERS[extname(file).toLowerCase()];
    if (!PARSERS[extname(file).toLowerCase()] && !readBytes) {
      corpus.ignored.push(file);
      continue;
    }
    let result: ParseResult | undefined;
    try {
      result = readBytes ? await readBytes(new Uint8Array(await readFile(path)), file) : parseFile(await readFile(path, 'utf8'), file);
    } catch (error) {
      corpus.warnings.push({ file, message: `file skipped: ${(error as Error).message}` });
      continue;
    }
    if (!result) continue;
    // One at a time: push(...list) overflows the stack beyond ~150,000 items (a big file).
    for (const warning of result.warnings) corpus.warnings.push(warning);
    if (result.documents.length === 0 && result.warnings.length === 0) {
      corpus.warnings.push({ file, message: 'file skipped: no text in it' });
    }
    for (const document of result.documents) {
      document.passages = document.passages.filter((passage) => {
        // JSONL ids are the operator's: two files may use the same one. The first file keeps it.
        const owner = ids.get(passage.id);
        if (owner !== undefined) {
          corpus.warnings.push({ file, message: `passage skipped: id "${passage.id}" is already used in ${owner}` });
          return false;
        }
        ids.set(passage.id, file);
        const key = passage.text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
        if (seen.has(key)) {
          corpus.duplicates += 1;
          return false;
        }
        seen.add(key);
        return true;
      });
      if (document.passages.length === 0) continue;
      corpus.documents.push(document);
      for (const passage of document.passages) corpus.passages.push(passage);
    }
  }
  if (corpus.passages.length === 0) {
    throw new CorpusError(`no passages found in ${dir}: add .txt, .md, .jsonl, .pdf, .docx or .html documents`, corpus.warnings);
  }
  return corpus;
}

/** Every file under `dir` except hidden ones, recursively, in name order. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, sep } from 'node:path';
import { boundDocument } from './bound.ts';
import { decodeText, type DecodedText } from './decode.ts';
import { parseCsv } from './parse-csv.ts';
import { isDigest, parseDigest } from './parse-digest.ts';
import { parseJsonl } from './parse-jsonl.ts';
import { parseMarkdown } from './parse-markdown.ts';
import { parseText } from './parse-text.ts';
import type { CorpusWarning, Document, ParseResult, Passage } from './types.ts';

/** The corpus could not be used at all: no folder, or no passage in it. */
export class CorpusError extends Error {
  override name = 'CorpusError';
  /** What was skipped on the way (files with their reasons, files of kinds we do not read), so the operator sees why nothing was left. */
  constructor(message: string, readonly warnings: CorpusWarning[] = [], readonly ignored: string[] = []) {
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

/**
 * Version of what the readers make of a file's bytes, part of the index snapshot's key: the same
 * bytes read by another version (2: decoding GBK, Big5 and UTF-16; CSV; 3: PDF, DOCX, HTML) must be read again.
 */
export const CORPUS_FORMAT_VERSION = 3;

/** Reads one file's bytes (its path relative to the data folder in `file`) into documents. */
export type Reader = (bytes: Uint8Array, file: string) => ParseResult | Promise<ParseResult>;

/** Parses a text format once its bytes are decoded. */
export type TextParser = (text: string, file: string) => ParseResult;

/** Text formats, by extension. */
const TEXT_PARSERS: Record<string, TextParser> = {
  '.txt': (text, file) => (isDigest(text) ? parseDigest(text, file, file) : parseText(text, file, file)),
  '.md': (text, file) => parseMarkdown(text, file, file),
  '.markdown': (text, file) => parseMarkdown(text, file, file),
  '.jsonl': (text, file) => parseJsonl(text, file),
  '.csv': (text, file) => parseCsv(text, file),
};

/**
 * A reader of a text format: decodes the bytes (BOM, UTF-8, UTF-16, GB18030, Big5, …; binary
 * content throws, and the file is skipped with the reason), then parses the text. `decode` is
 * decodeHtml for HTML, which honours `<meta charset>`.
 */
export function textReader(parse: TextParser, decode: (bytes: Uint8Array) => DecodedText = decodeText): Reader {
  return (bytes, file) => {
    const decoded = decode(bytes);
    const result = parse(decoded.text, file);
    if (decoded.invalid === 0) return result;
    const line = decoded.text.slice(0, decoded.text.indexOf('\uFFFD')).split('\n').length;
    const warning = { file, line, message: `${decoded.invalid} byte sequences are not valid ${decoded.encoding} (the first on this line) and read as "\uFFFD"` };
    return { documents: result.documents, warnings: [warning, ...result.warnings] };
  };
}

/**
 * Every extension we read, and its reader: the one place a format plugs in. Text formats are
 * decoded first; PDF and DOCX take the bytes; HTML decodes with its declared charset.
 */
export const READERS: Readonly<Record<string, Reader>> = {
  ...Object.fromEntries(Object.entries(TEXT_PARSERS).map(([extension, parse]) => [extension, textReader(parse)])),
  // Imported on first use: pdf.js, mammoth and linkedom cost start-up time a folder without such files should not pay.
  '.pdf': async (bytes, file) => (await import('./parse-pdf.ts')).parsePdf(bytes, file),
  '.docx': async (bytes, file) => (await import('./parse-docx.ts')).parseDocx(bytes, file),
  // HTML names its own encoding (<meta charset>), which its reader honours.
  '.html': async (bytes, file) => (await import('./parse-html.ts')).parseHtmlBytes(bytes, file),
  '.htm': async (bytes, file) => (await import('./parse-html.ts')).parseHtmlBytes(bytes, file),
};

/** The extensions we read (with their dot): for uploads, the "files ignored" summary and the index snapshot's key. */
export const READ_EXTENSIONS: readonly string[] = Object.keys(READERS);

/** The reader for a file, by its extension; `undefined` when we do not read that kind of file. */
export function readerFor(file: string): Reader | undefined {
  return Object.hasOwn(READERS, extname(file).toLowerCase()) ? READERS[extname(file).toLowerCase()] : undefined;
}

/** Files in the data folder that configure search rather than hold documents. */
export const isSettingsFile = (file: string): boolean => /(^|\/)aliases\.[a-z]+$/i.test(file);

/** Whatever the format, no passage or title is large enough to slow indexing or answers. */
function bounded(result: ParseResult): ParseResult {
  return { ...result, documents: result.documents.map(boundDocument) };
}

/** Parses one file's text, already decoded, by its extension; `undefined` when it is not a text format we read. */
export function parseFile(text: string, file: string): ParseResult | undefined {
  const extension = extname(file).toLowerCase();
  const parse = Object.hasOwn(TEXT_PARSERS, extension) ? TEXT_PARSERS[extension] : undefined;
  const result = parse?.(text.replace(/^\uFEFF/, ''), file);
  return result && bounded(result);
}

/** Reads one file's bytes by its extension; `undefined` when we do not read that kind of file. Throws what the reader throws. */
export async function readDocumentFile(bytes: Uint8Array, file: string): Promise<ParseResult | undefined> {
  const result = await readerFor(file)?.(bytes, file);
  return result && bounded(result);
}

/** How many first names of ignored files the summary lists. */
const IGNORED_NAMES_SHOWN = 5;

/**
 * One line for the operator about the files we do not read (count, the first few names, what we
 * do read): at warn level, so that a folder of PDFs is not a silent "no passages".
 */
export function summarizeIgnored(ignored: readonly string[]): string | null {
  if (ignored.length === 0) return null;
  const names = ignored.slice(0, IGNORED_NAMES_SHOWN).join(', ') + (ignored.length > IGNORED_NAMES_SHOWN ? `, and ${ignored.length - IGNORED_NAMES_SHOWN} more` : '');
  return `${ignored.length} ${ignored.length === 1 ? 'file' : 'files'} ignored, not a kind we read (${names}); we read ${READ_EXTENSIONS.join(' ')}`;
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
    const read = readerFor(file);
    if (!read) {
      corpus.ignored.push(file);
      continue;
    }
    let result: ParseResult;
    try {
      result = bounded(await read(await readFile(path), file));
    } catch (error) {
      corpus.warnings.push({ file, message: `file skipped: ${(error as Error).message}` });
      continue;
    }
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
    throw new CorpusError(`no passages found in ${dir}: add documents (${READ_EXTENSIONS.join(' ')})`, corpus.warnings, corpus.ignored);
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

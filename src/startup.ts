import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { loadAliases } from './corpus/aliases.ts';
import { CORPUS_FORMAT_VERSION, CorpusError, listFiles, loadCorpus, READ_EXTENSIONS, summarizeIgnored, type Corpus } from './corpus/load.ts';
import type { CorpusWarning, Document, Passage } from './corpus/types.ts';
import type { LogLevel } from './config.ts';
import type { Logger } from './logger.ts';
import { loadDictionary, type Dictionary } from './search/dictionary/dictionary.ts';
import { INDEX_FORMAT_VERSION, SearchIndex, type IndexSnapshot } from './search/search-index.ts';
import { snapshotHeader, snapshotPayload } from './search/snapshot-frame.ts';
import { createTranslator, NO_TRANSLATION, type Translator } from './search/translate.ts';

export interface OpenIndexOptions {
  /**
   * Folder for index snapshots: with one that matches the data folder's contents, start-up loads
   * it instead of parsing and indexing again. Null: always build.
   */
  cacheDir?: string | null;
  /** Called while indexing, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** Loaded once per process: the dictionary does not depend on the data folder. */
let dictionary: Dictionary | undefined;

interface Snapshot {
  key: string;
  corpus: Corpus;
  index: IndexSnapshot;
}

/**
 * Loads the data folder (documents and aliases) and indexes it with the dictionary for
 * translation — or restores the index from a snapshot when the documents have not changed —
 * logging what was skipped (warn) and what was loaded (info), so the CLI and the bot start the
 * same way. Throws CorpusError when nothing is usable.
 */
export async function openIndex(dataDir: string, logger: Logger, options: OpenIndexOptions = {}): Promise<OpenedIndex> {
  const { corpus, index, aliasGroups } = await indexDataFolder(dataDir, logger, options);
  return { corpus, index: index.withTranslator(translatorFor(aliasGroups)), aliasGroups };
}

/**
 * The indexing half of openIndex, which needs no dictionary: the corpus and its postings (from
 * the snapshot when the documents have not changed) and the alias groups. The index it returns
 * does not translate; openIndex gives it the translator.
 */
export async function indexDataFolder(dataDir: string, logger: Logger, options: OpenIndexOptions = {}): Promise<OpenedIndex> {
  const started = performance.now();
  const aliases = await loadAliases(dataDir);
  const key = options.cacheDir ? await snapshotKey(dataDir) : null;
  if (options.cacheDir) await removeStaleTemporaryFiles(options.cacheDir, logger);
  const cached = key && options.cacheDir ? await readSnapshot(options.cacheDir, dataDir, key, logger) : null;
  const restored = cached ? restoreIndex(cached, logger) : null;

  let corpus: Corpus;
  let index: SearchIndex;
  if (cached && restored) {
    corpus = cached.corpus;
    index = restored;
  } else {
    corpus = await loadCorpus(dataDir).catch((error: unknown) => {
      if (error instanceof CorpusError) {
        logWarnings(error.warnings, logger);
        logIgnored(error.ignored, logger);
      }
      throw error;
    });
    index = SearchIndex.build(corpus.passages, NO_TRANSLATION, options.onProgress);
    if (key && options.cacheDir) await writeSnapshot(options.cacheDir, dataDir, { key, corpus, index: index.toSnapshot() }, logger);
  }

  logWarnings([...corpus.warnings, ...aliases.warnings], logger);
  logIgnored(corpus.ignored, logger);
  logger.info(
    {
      documents: corpus.documents.length,
      passages: corpus.passages.length,
      duplicates: corpus.duplicates,
      skipped: corpus.warnings.length,
      aliases: aliases.groups.length,
      snapshot: restored ? 'loaded' : key ? 'written' : 'off',
      ms: Math.round(performance.now() - started),
    },
    'corpus loaded',
  );
  return { corpus, index, aliasGroups: aliases.groups };
}

/** A translator for the dictionary (loaded once per process) and a folder's alias groups. */
function translatorFor(aliasGroups: readonly (readonly string[])[]): Translator {
  dictionary ??= loadDictionary();
  return createTranslator(dictionary, aliasGroups);
}

/** A corpus, its index, and the alias groups its translator knows. */
export interface OpenedIndex {
  corpus: Corpus;
  index: SearchIndex;
  aliasGroups: readonly (readonly string[])[];
}

/** What the index worker (index-worker.ts) is given, and what it sends back. */
export interface IndexWorkerInput {
  dataDir: string;
  cacheDir: string | null;
  logLevel: LogLevel;
  secrets: (string | null)[];
}
/**
 * The worker's messages: the documents (with their passages) a few thousand passages at a time,
 * each sent when the bot's thread asks for the next ('next'), so that receiving them —
 * deserializing millions of objects — never holds its event loop for long; then the rest of the
 * corpus and the index; or why it failed.
 */
export type IndexWorkerMessage =
  | ({ kind: 'documents' } & DocumentSlice)
  | { kind: 'done'; corpus: Omit<Corpus, 'documents' | 'passages'>; index: IndexSnapshot; aliasGroups: string[][] }
  | { kind: 'failed'; message: string };

/**
 * Passages per 'documents' message: ~3 ms of deserializing for the bot's thread. At 5,000 a message
 * took 17–29 ms to deserialize and, with the collector's work on what it added, held the thread
 * for over 100 ms (npm run bench:reload, BENCHMARKS.md).
 */
export const PASSAGES_PER_MESSAGE = 1_000;

/** Documents on their way from the worker, at most PASSAGES_PER_MESSAGE passages at a time. */
export interface DocumentSlice {
  documents: Document[];
  /** The first document is the rest of the last one of the slice before (a document larger than a slice). */
  continuesLast: boolean;
}

/**
 * Cuts documents into slices of at most `perSlice` passages, in order. A document larger than
 * that (a text file of 200,000 paragraphs is one document) is cut too, so no slice is large.
 */
export function* documentSlices(documents: readonly Document[], perSlice = PASSAGES_PER_MESSAGE): Generator<DocumentSlice> {
  let slice: DocumentSlice = { documents: [], continuesLast: false };
  let size = 0;
  for (const document of documents) {
    let from = 0;
    do {
      const take = Math.min(document.passages.length - from, perSlice - size);
      const whole = from === 0 && take === document.passages.length;
      slice.documents.push(whole ? document : { ...document, passages: document.passages.slice(from, from + take) });
      size += take;
      from += take;
      if (size >= perSlice) {
        yield slice;
        slice = { documents: [], continuesLast: from < document.passages.length };
        size = 0;
      }
    } while (from < document.passages.length);
  }
  if (slice.documents.length) yield slice;
}

/** Adds a received slice to the documents and passages received before it. */
export function receiveSlice(slice: DocumentSlice, documents: Document[], passages: Passage[]): void {
  slice.documents.forEach((document, i) => {
    if (i === 0 && slice.continuesLast) {
      const last = documents[documents.length - 1]!;
      for (const passage of document.passages) last.passages.push(passage);
    } else documents.push(document);
    for (const passage of document.passages) passages.push(passage);
  });
}

/**
 * openIndex on a worker thread: parsing and indexing take minutes for a large corpus, and on the
 * main thread they would stop the bot answering anyone meanwhile (/reload). The worker indexes
 * (indexDataFolder: no dictionary there) and sends the corpus and the index back as plain data,
 * the documents in slices and the postings' buffers moved, not copied; restoring the index here
 * (building the term lookup) also runs in slices, with the event loop free between them.
 */
export async function openIndexInWorker(dataDir: string, logger: Logger, options: { cacheDir?: string | null; secrets?: (string | null)[] } = {}): Promise<OpenedIndex> {
  const input: IndexWorkerInput = { dataDir, cacheDir: options.cacheDir ?? null, logLevel: logger.level as LogLevel, secrets: options.secrets ?? [] };
  const worker = new Worker(new URL('./index-worker.mjs', import.meta.url), { workerData: input });
  const documents: Document[] = [];
  const passages: Passage[] = [];
  const outcome = await new Promise<Exclude<IndexWorkerMessage, { kind: 'documents' }>>((resolve) => {
    worker.on('message', (message: IndexWorkerMessage) => {
      if (message.kind !== 'documents') return resolve(message);
      receiveSlice(message, documents, passages);
      // Asks for the next slice only once the event loop has run: queued messages would be
      // received back to back, with no turn for the bot in between.
      setImmediate(() => worker.postMessage('next'));
    });
    worker.once('error', (error) => resolve({ kind: 'failed', message: error.message }));
    worker.once('exit', (code) => resolve({ kind: 'failed', message: `the indexing worker exited (code ${code})` }));
  }).finally(() => void worker.terminate());
  if (outcome.kind === 'failed') throw new Error(outcome.message);
  const corpus: Corpus = { ...outcome.corpus, documents, passages };
  const index = await SearchIndex.restoreInSlices(passages, outcome.index, translatorFor(outcome.aliasGroups), yieldToEventLoop);
  return { corpus, index, aliasGroups: outcome.aliasGroups };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function logWarnings(warnings: CorpusWarning[], logger: Logger): void {
  for (const warning of warnings) logger.warn({ file: warning.file, line: warning.line }, warning.message);
}

/** One warn line for all the files of kinds we do not read. */
function logIgnored(ignored: string[], logger: Logger): void {
  const summary = summarizeIgnored(ignored);
  if (summary) logger.warn({ ignored: ignored.length }, summary);
}

/**
 * A hash of everything the index depends on: the index and corpus format versions, the kinds of
 * file read (a new reader makes files count that an older snapshot left out) and every file's path and bytes.
 */
export async function snapshotKey(dataDir: string, extensions: readonly string[] = READ_EXTENSIONS): Promise<string> {
  const hash = createHash('sha256').update(`citebot-index-v${INDEX_FORMAT_VERSION}-corpus-v${CORPUS_FORMAT_VERSION} ${[...extensions].sort().join(' ')}\n`);
  const info = await stat(dataDir).catch(() => undefined);
  const paths = info?.isDirectory() ? await listFiles(dataDir) : [dataDir];
  for (const path of paths) {
    hash.update(`${relative(dataDir, path)}\n`);
    // Streamed: a data file may be larger than one read can return (2 GiB).
    await new Promise<void>((resolve) => {
      createReadStream(path)
        .on('data', (chunk) => hash.update(chunk))
        .on('error', () => resolve()) // unreadable: loading reports it; the key just differs
        .on('end', resolve);
    });
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * Snapshots are in V8's serialization format: the postings are typed arrays, which it writes and
 * reads as raw bytes (JSON would spell out every number). One per data folder, named after the
 * folder's path and its contents: `npm run eval` on the XQuAD corpora does not evict the bot's.
 */
const snapshotFile = (cacheDir: string, dataDir: string, key: string) => join(cacheDir, `index-${folderId(dataDir)}-${key}.v8`);

/** Short id of a data folder's absolute path. */
const folderId = (dataDir: string) => createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12);

/** Most snapshots kept in the cache folder, for as many data folders; the oldest go first. */
const MAX_SNAPSHOTS = 4;

/**
 * The snapshot for these documents, or null to build the index: when there is none, and (with a
 * warning) when the file is not a regular file (a FIFO would block the read forever), is cut
 * short, has bytes changed (its checksum), or holds something else.
 */
async function readSnapshot(cacheDir: string, dataDir: string, key: string, logger: Logger): Promise<Snapshot | null> {
  const path = snapshotFile(cacheDir, dataDir, key);
  const unusable = (reason: string) => {
    logger.warn({ file: path, reason }, 'index snapshot unreadable; rebuilding');
    return null;
  };
  let info: Stats;
  try {
    info = await lstat(path);
  } catch {
    return null; // No snapshot for these documents yet: the index is built and one is written.
  }
  if (!info.isFile()) return unusable(`not a regular file but ${fileKind(info)}`);
  let bytes: Buffer;
  try {
    bytes = await readWholeFile(path);
  } catch (error) {
    return unusable((error as Error).message);
  }
  const framed = snapshotPayload(bytes);
  if ('problem' in framed) return unusable(framed.problem);
  let snapshot: unknown;
  try {
    snapshot = deserialize(framed.payload);
  } catch (error) {
    return unusable(`not deserializable: ${(error as Error).message}`);
  }
  if (!isSnapshot(snapshot) || snapshot.key !== key) return unusable('contents are not the snapshot of these documents');
  return snapshot;
}

/** The index from a snapshot, or null (with a warning) when its postings do not fit its passages. */
function restoreIndex(snapshot: Snapshot, logger: Logger): SearchIndex | null {
  try {
    return SearchIndex.restore(snapshot.corpus.passages, snapshot.index);
  } catch (error) {
    logger.warn({ reason: (error as Error).message }, 'index snapshot unreadable; rebuilding');
    return null;
  }
}

/** The shape of a snapshot, checked before it is trusted (the checksum says the bytes are as written, not by whom). */
function isSnapshot(value: unknown): value is Snapshot {
  const v = value as Partial<Snapshot> | null;
  return (
    typeof v === 'object' && v !== null && typeof v.key === 'string' &&
    typeof v.corpus === 'object' && v.corpus !== null && Array.isArray(v.corpus.passages) && Array.isArray(v.corpus.documents) &&
    typeof v.index === 'object' && v.index !== null
  );
}

function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * A file's bytes in one buffer, read in pieces: `readFile` refuses files over 2 GiB, and the
 * snapshot of a million passages is larger. Opened without following a link and without waiting
 * (a FIFO swapped in after the lstat would block), and refused unless it is a regular file.
 */
async function readWholeFile(path: string): Promise<Buffer> {
  const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const info = await file.stat();
    if (!info.isFile()) throw new Error(`not a regular file but ${fileKind(info)}`);
    const { size } = info;
    const bytes = Buffer.allocUnsafe(size);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await file.read(bytes, at, Math.min(size - at, 2 ** 30), at);
      if (bytesRead === 0) throw new Error('index snapshot shorter than its size');
      at += bytesRead;
    }
    return bytes;
  } finally {
    await file.close();
  }
}

/** A temporary file not written to for this long belongs to a writer that died (a crash, a kill). */
export const STALE_TEMPORARY_MS = 60_000;

/**
 * Removes the half-written snapshots a crash left behind (`index-….tmp`, one writer each). One still
 * being written is left alone: it changes as it grows, and other processes (`npm run ask`, another
 * instance) may share the folder.
 */
async function removeStaleTemporaryFiles(cacheDir: string, logger: Logger): Promise<void> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  for (const name of names) {
    if (!/^index-.*\.tmp$/.test(name)) continue;
    const path = join(cacheDir, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info || info.isDirectory() || Date.now() - info.mtimeMs < STALE_TEMPORARY_MS) continue;
    await rm(path, { force: true })
      .then(() => logger.info({ file: path, bytes: info.size }, 'removed a half-written index snapshot'))
      .catch((error: unknown) => logger.warn({ file: path, error: (error as Error).message }, 'half-written index snapshot not removed'));
  }
}

/**
 * Writes the snapshot and removes the folder's older ones (and the oldest of other folders' beyond
 * MAX_SNAPSHOTS); a failure only costs the next start its head start.
 */
async function writeSnapshot(cacheDir: string, dataDir: string, snapshot: Snapshot, logger: Logger): Promise<void> {
  try {
    await mkdir(cacheDir, { recursive: true });
    const file = snapshotFile(cacheDir, dataDir, snapshot.key);
    // Written aside and renamed, so a crash never leaves half a snapshot under the real name; the
    // name is the writer's own, as two processes may write the same snapshot at once.
    await writeFramed(`${file}.${randomBytes(4).toString('hex')}.tmp`, serialize(snapshot), file);
    const others: { path: string; modified: number }[] = [];
    for (const name of await readdir(cacheDir)) {
      const path = join(cacheDir, name);
      const match = /^index-(?:([0-9a-f]{12})-)?[0-9a-f]+\.(?:json|v8)$/.exec(name);
      if (!match || path === file) continue;
      // Same folder, older contents; or a name from before snapshots were kept per folder.
      if (match[1] === undefined || match[1] === folderId(dataDir)) await rm(path, { force: true });
      else others.push({ path, modified: (await stat(path)).mtimeMs });
    }
    others.sort((a, b) => b.modified - a.modified);
    for (const { path } of others.slice(MAX_SNAPSHOTS - 1)) await rm(path, { force: true });
  } catch (error) {
    logger.warn({ error: (error as Error).message, cacheDir }, 'index snapshot not written');
  }
}

/** Writes header and payload to `temporary`, then renames it to `path`; removes it if that fails. */
async function writeFramed(temporary: string, payload: Buffer, path: string): Promise<void> {
  try {
    const file = await open(temporary, 'wx');
    try {
      const header = snapshotHeader(payload);
      const { bytesWritten } = await file.write(header, 0, header.length);
      if (bytesWritten !== header.length) throw new Error('index snapshot header not written whole');
      await file.writeFile(payload);
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * A one-line progress bar on standard error, drawn only while indexing takes more than a second
 * (small corpora index instantly and print nothing).
 */
export function createProgressBar(label: string, stream: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  const started = performance.now();
  let drawn = false;
  return (done, total) => {
    if (!drawn && performance.now() - started < 1000) return;
    drawn = true;
    const width = 30;
    const filled = Math.round((done / total) * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`);
  };
}

/**
 * Worker thread for openIndexInWorker (startup.ts): loads and indexes a data folder away from
 * the bot's event loop, and sends the corpus and the index back as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger, flushLogs } from './logger.ts';
import { documentSlices, indexDataFolder, type DocumentSlice, type IndexWorkerInput, type IndexWorkerMessage } from './startup.ts';

const input = workerData as IndexWorkerInput;
const logger = createLogger(input.logLevel, input.secrets);
const send = (message: IndexWorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(message, transfer);
/** Sends a slice of documents and waits until the bot's thread asks for the next one. */
const sendDocuments = async (slice: DocumentSlice) => {
  const asked = new Promise((resolve) => parentPort!.once('message', resolve));
  send({ kind: 'documents', ...slice });
  await asked;
};

try {
  const { corpus, index, aliasGroups } = await indexDataFolder(input.dataDir, logger, { cacheDir: input.cacheDir });
  // The passages travel inside their documents; the bot's thread lists them again as they come.
  const { documents, passages: _inDocuments, ...rest } = corpus;
  for (const slice of documentSlices(documents)) await sendDocuments(slice);
  // The bot's thread ends this thread on 'done': its log lines must be written by then.
  await flushLogs();
  const snapshot = index.toSnapshot();
  // Moved, not copied: the postings are most of the index. A buffer shared by two arrays moves once.
  const buffers = new Set([snapshot.offsets, snapshot.docs, snapshot.weights, snapshot.sentenceStarts, snapshot.sentenceTerms].map((a) => a.buffer));
  send({ kind: 'done', corpus: rest, index: snapshot, aliasGroups: aliasGroups.map((group) => [...group]) }, [...buffers] as ArrayBuffer[]);
} catch (error) {
  await flushLogs();
  send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}

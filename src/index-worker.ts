/**
 * Worker thread for openIndexInWorker (startup.ts): loads and indexes a data folder away from
 * the bot's event loop, and sends the corpus and the index back as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from './logger.ts';
import { indexDataFolder, type IndexWorkerInput, type IndexWorkerOutput } from './startup.ts';

const input = workerData as IndexWorkerInput;
const logger = createLogger(input.logLevel, input.secrets);

try {
  const { corpus, index, aliasGroups } = await indexDataFolder(input.dataDir, logger, { cacheDir: input.cacheDir });
  const snapshot = index.toSnapshot();
  const output: IndexWorkerOutput = { ok: true, corpus, index: snapshot, aliasGroups: aliasGroups.map((group) => [...group]) };
  // Moved, not copied: the postings are most of the index. A buffer shared by two arrays moves once.
  const buffers = new Set([snapshot.offsets, snapshot.docs, snapshot.weights, snapshot.sentenceStarts, snapshot.sentenceTerms].map((a) => a.buffer));
  parentPort!.postMessage(output, [...buffers] as ArrayBuffer[]);
} catch (error) {
  const output: IndexWorkerOutput = { ok: false, message: error instanceof Error ? error.message : String(error) };
  parentPort!.postMessage(output);
}

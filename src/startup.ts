import { loadCorpus, type Corpus } from './corpus/load.ts';
import type { Logger } from './logger.ts';
import { loadAliases } from './corpus/aliases.ts';
import { loadDictionary } from './search/dictionary/dictionary.ts';
import { buildIndex, type SearchIndex } from './search/search-index.ts';
import { createTranslator } from './search/translate.ts';

/**
 * Loads the data folder (documents and aliases) and indexes it with the dictionary for translation, logging what was skipped (warn) and what was loaded
 * (info), so the CLI and the bot start the same way. Throws CorpusError when nothing is usable.
 */
export async function openIndex(dataDir: string, logger: Logger): Promise<{ corpus: Corpus; index: SearchIndex }> {
  const started = performance.now();
  const corpus = await loadCorpus(dataDir);
  const aliases = await loadAliases(dataDir);
  for (const warning of [...corpus.warnings, ...aliases.warnings]) {
    logger.warn({ file: warning.file, line: warning.line }, warning.message);
  }
  for (const file of corpus.ignored) logger.info({ file }, 'file ignored: not .txt, .md or .jsonl');
  const index = buildIndex(corpus.passages, createTranslator(loadDictionary(), aliases.groups));
  logger.info(
    {
      documents: corpus.documents.length,
      passages: corpus.passages.length,
      duplicates: corpus.duplicates,
      skipped: corpus.warnings.length,
      aliases: aliases.groups.length,
      ms: Math.round(performance.now() - started),
    },
    'corpus loaded',
  );
  return { corpus, index };
}

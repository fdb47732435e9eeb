import type { Context } from 'grammy';
import type { Corpus } from '../corpus/load.ts';
import type { Logger } from '../logger.ts';
import type { SearchIndex } from '../search/search-index.ts';
import type { UiLang } from './i18n.ts';
import type { BotStats } from './stats.ts';

/** What every handler can use: the corpus, its index, a per-update logger and the user's language. */
export interface BotContext extends Context {
  corpus: Corpus;
  index: SearchIndex;
  logger: Logger;
  lang: UiLang;
  stats: BotStats;
}

/** A corpus with its index, and when and how fast it was loaded (for /stats). */
export interface LoadedIndex {
  corpus: Corpus;
  index: SearchIndex;
  loadedAt: Date;
  loadMs: number;
}

/**
 * The index the bot answers from, replaced whole by /reload. Each update reads it once, so an
 * update in flight during a reload keeps the corpus and index it started with.
 */
export interface IndexHolder {
  current: LoadedIndex;
}

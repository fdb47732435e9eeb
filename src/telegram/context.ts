import type { Context } from 'grammy';
import type { Corpus } from '../corpus/load.ts';
import type { Logger } from '../logger.ts';
import type { SearchIndex } from '../search/search-index.ts';
import type { UiLang } from './i18n.ts';

/** What every handler can use: the corpus, its index, a per-update logger and the user's language. */
export interface BotContext extends Context {
  corpus: Corpus;
  index: SearchIndex;
  logger: Logger;
  lang: UiLang;
}

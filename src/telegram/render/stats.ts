import type { LoadedIndex } from '../context.ts';
import { format, type UiLang } from '../i18n.ts';
import type { StatsSnapshot } from '../stats.ts';

/** The /stats message for admins: what the bot answers from and how it has been doing. */
export function renderStatsHtml(stats: StatsSnapshot, loaded: LoadedIndex, lang: UiLang): string {
  const times = stats.answerMs;
  return format(lang, 'stats', {
    documents: loaded.corpus.documents.length,
    passages: loaded.corpus.passages.length,
    loadedAt: `${loaded.loadedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`,
    loadMs: Math.round(loaded.loadMs),
    uptime: formatDuration(stats.uptimeMs, lang),
    updates: stats.updates,
    questions: stats.questions,
    nothingFound: stats.nothingFound,
    rateLimited: stats.rateLimited,
    answerTimes: times
      ? format(lang, 'statsAnswerTimes', { count: times.count, p50: round(times.p50), p99: round(times.p99) })
      : format(lang, 'statsNoAnswers'),
  });
}

/** "2 d 3 h", "4 h 5 min", "6 min 7 s", "8 s" (two largest units), or the Chinese equivalent. */
export function formatDuration(ms: number, lang: UiLang): string {
  const units = lang === 'zh'
    ? ([['天', 86_400], ['小时', 3600], ['分钟', 60], ['秒', 1]] as const)
    : ([[' d', 86_400], [' h', 3600], [' min', 60], [' s', 1]] as const);
  let seconds = Math.floor(ms / 1000);
  const parts: string[] = [];
  for (const [label, size] of units) {
    const count = Math.floor(seconds / size);
    seconds -= count * size;
    if (count > 0 || (parts.length === 0 && size === 1)) parts.push(`${count}${label}`);
    if (parts.length === 2) break;
  }
  return parts.join(lang === 'zh' ? '' : ' ');
}

/** Milliseconds to show: whole above 10, one decimal below. */
function round(ms: number): number {
  return ms >= 10 ? Math.round(ms) : Math.round(ms * 10) / 10;
}

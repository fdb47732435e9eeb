import type { Corpus } from '../../corpus/load.ts';
import type { CorpusWarning } from '../../corpus/types.ts';
import { unreadableShare } from '../../corpus/unreadable.ts';
import { format, type UiLang } from '../i18n.ts';
import { escapeHtml, truncate } from './html.ts';

/** What the index holds from one file of the data folder. */
export interface FileInIndex {
  passages: number;
  /** Distinct document titles, in file order. */
  titles: string[];
  warnings: CorpusWarning[];
  /** Undecodable characters in its passages, and all their characters. */
  unreadable: number;
  characters: number;
}

/** Titles and warnings listed in a report; the rest are counted. */
const LISTED = 5;

/** Reads what a (re)loaded corpus took from `file` (a path relative to the data folder). */
export function fileInIndex(corpus: Corpus, file: string): FileInIndex {
  const documents = corpus.documents.filter((d) => d.file === file);
  const passages = documents.flatMap((d) => d.passages);
  const { unreadable, total } = unreadableShare(passages.map((p) => p.text));
  return {
    passages: passages.length,
    titles: [...new Set(documents.map((d) => d.title ?? file))],
    warnings: corpus.warnings.filter((w) => w.file === file),
    unreadable,
    characters: total,
  };
}

/** The admin's report on an indexed upload: what was read from it, under which name, and what went wrong on the way. */
export function uploadReportHtml(lang: UiLang, report: { name: string; wanted: string; renamed: boolean; found: FileInIndex; documents: number; total: number }): string {
  const { name, found } = report;
  const titles = found.titles.slice(0, LISTED).map((t) => `«${escapeHtml(truncate(t, 120))}»`);
  if (found.titles.length > LISTED) titles.push(format(lang, 'uploadMoreTitles', { count: found.titles.length - LISTED }));
  const lines = [
    found.passages > 0
      ? format(lang, 'uploadDone', { name: escapeHtml(name), passages: found.passages, titles: titles.join(', '), documents: report.documents, total: report.total })
      : format(lang, 'uploadNothingNew', { name: escapeHtml(name) }),
  ];
  if (report.renamed) lines.push(format(lang, 'uploadRenamed', { wanted: escapeHtml(report.wanted), name: escapeHtml(name) }));
  const warnings = warningLines(found.warnings);
  if (found.unreadable > 0) warnings.unshift(`• ${format(lang, 'uploadSomeUnreadable', { count: found.unreadable })}`);
  if (warnings.length > 0) lines.push(format(lang, 'uploadWarnings'), ...warnings);
  return lines.join('\n');
}

/** Warnings as list lines (line number first, when known), the first few of them. */
export function warningLines(warnings: readonly CorpusWarning[]): string[] {
  const lines = warnings.slice(0, LISTED).map((w) => `• ${w.line !== undefined ? `${w.line}: ` : ''}${escapeHtml(truncate(w.message, 200))}`);
  if (warnings.length > LISTED) lines.push(`• … (${warnings.length - LISTED})`);
  return lines;
}

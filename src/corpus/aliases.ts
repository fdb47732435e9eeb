import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CorpusWarning } from './types.ts';

/** The aliases file an operator can extend, next to the documents. */
export const ALIASES_FILE = 'aliases.txt';

/** Groups of names for one entity, in any language: 中吉乌 = China-Kyrgyzstan-Uzbekistan. */
export type AliasGroups = string[][];

/**
 * Parses an aliases file: one entity per line, its names separated by "=", "#" starts a comment.
 * A line with fewer than two names is skipped with a warning naming the line.
 */
export function parseAliases(text: string, file = ALIASES_FILE): { groups: AliasGroups; warnings: CorpusWarning[] } {
  const groups: AliasGroups = [];
  const warnings: CorpusWarning[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const names = line.split('=').map((n) => n.trim()).filter(Boolean);
    if (names.length < 2) {
      warnings.push({ file, line: i + 1, message: 'alias line skipped: write at least two names separated by "="' });
      return;
    }
    groups.push(names);
  });
  return { groups, warnings };
}

/** Reads `aliases.txt` from the data folder; no file means no aliases. */
export async function loadAliases(dir: string): Promise<{ groups: AliasGroups; warnings: CorpusWarning[] }> {
  let text: string;
  try {
    text = await readFile(join(dir, ALIASES_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      return { groups: [], warnings: [] };
    }
    return { groups: [], warnings: [{ file: ALIASES_FILE, message: `aliases skipped: ${(error as Error).message}` }] };
  }
  return parseAliases(text.replace(/^\uFEFF/, ''));
}

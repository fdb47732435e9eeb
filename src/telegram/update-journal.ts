import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';

/**
 * Update ids the journal remembers. Telegram re-delivers at most the last unconfirmed batch
 * (getUpdates returns ≤ 100), so a thousand covers it with room to spare.
 */
export const JOURNAL_CAPACITY = 1000;

/**
 * The most recently handled update ids, oldest forgotten first. A set, not "the highest id seen":
 * Telegram may restart its ids at a random lower number after a quiet week. Pure.
 */
export class HandledUpdates {
  private readonly ids = new Set<number>();

  constructor(private readonly capacity = JOURNAL_CAPACITY) {}

  has(updateId: number): boolean {
    return this.ids.has(updateId);
  }

  add(updateId: number): void {
    if (this.ids.has(updateId)) return;
    this.ids.add(updateId);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }

  /** The ids, oldest first. */
  toArray(): number[] {
    return [...this.ids];
  }
}

/**
 * Reads a journal's text: one update id per line. Anything else — a line cut short by a crash, a
 * damaged file — is skipped and counted, never fatal: the worst a lost id costs is a second answer.
 */
export function parseJournal(text: string): { ids: number[]; skipped: number } {
  const ids: number[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    if (/^\d{1,15}$/.test(line)) ids.push(Number(line));
    else skipped += 1;
  }
  return { ids, skipped };
}

/** Which updates this bot has already handled, kept across restarts. */
export interface UpdateJournal {
  has(updateId: number): boolean;
  /** Remembers an update as handled; written to disk before it returns. */
  record(updateId: number): void;
}

/**
 * Opens (or starts) the journal of handled updates in `dir`, one file per bot because update ids
 * are per bot. Long polling confirms an update only with the next getUpdates call, so a crash
 * after answering but before confirming has Telegram deliver it again; the journal lets the next
 * process skip it. Ids are appended synchronously (a crash right after the answer still finds
 * them) and the file is rewritten to the last JOURNAL_CAPACITY ids when it doubles. A journal
 * that cannot be read or written is logged and kept in memory only: the bot runs on.
 */
export function openUpdateJournal(dir: string, botId: number, logger: Logger, capacity = JOURNAL_CAPACITY): UpdateJournal {
  const file = join(dir, `handled-updates-${botId}.txt`);
  const handled = new HandledUpdates(capacity);
  let fd: number | null = null;
  let lines = 0;
  let cutShort = false;

  const fail = (error: unknown, action: string) => {
    logger.warn({ file, error: (error as Error).message }, `update journal not ${action}; a re-delivered update may be answered twice`);
    if (fd !== null) closeSync(fd);
    fd = null;
  };

  try {
    const text = readFileSync(file, 'utf8');
    // a last line without its newline was cut by a crash: the next id must not be glued onto it
    cutShort = text.length > 0 && !text.endsWith('\n');
    const { ids, skipped } = parseJournal(text);
    for (const id of ids) handled.add(id);
    lines = ids.length + skipped;
    if (skipped) logger.warn({ file, skipped }, 'update journal: unreadable lines skipped');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') fail(error, 'read');
  }
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(file, 'a');
    if (cutShort) writeSync(fd, '\n');
  } catch (error) {
    fail(error, 'opened');
  }

  const compact = () => {
    const ids = handled.toArray();
    // Written aside and renamed, so a crash never leaves a half-written journal under the real name.
    writeFileSync(`${file}.tmp`, ids.map((id) => `${id}\n`).join(''));
    renameSync(`${file}.tmp`, file);
    closeSync(fd!);
    fd = openSync(file, 'a');
    lines = ids.length;
  };

  return {
    has: (updateId) => handled.has(updateId),
    record(updateId) {
      handled.add(updateId);
      if (fd === null) return;
      try {
        writeSync(fd, `${updateId}\n`);
        lines += 1;
        if (lines > 2 * capacity) compact();
      } catch (error) {
        fail(error, 'written');
      }
    },
  };
}

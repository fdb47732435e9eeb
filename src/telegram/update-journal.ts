import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';

/**
 * Update ids the journal remembers. Telegram re-delivers at most the last unconfirmed batch
 * (getUpdates returns ≤ 100), so a thousand covers it with room to spare.
 */
export const JOURNAL_CAPACITY = 1000;

/**
 * What identifies an update besides its id: the chat and message it carries, or its query id.
 * Telegram delivers an unconfirmed update again unchanged, so the same id with another fingerprint
 * is a different update — the id sequence started again (a new token, or Telegram's random restart
 * after a quiet week) — and must be answered, not skipped. Pure.
 */
export function fingerprintOf(update: object): string {
  const type = Object.keys(update).find((key) => key !== 'update_id') ?? '';
  const payload = (update as Record<string, unknown>)[type] as Record<string, unknown> | null | undefined;
  const chat = payload?.chat as { id?: unknown } | undefined;
  let identity = '';
  if (chat && payload?.message_id !== undefined) identity = `${String(chat.id)}/${String(payload.message_id)}`;
  else if (payload && payload.id !== undefined) identity = String(payload.id);
  else if (payload && typeof payload.result_id === 'string') identity = payload.result_id;
  else if (chat && payload?.date !== undefined) identity = `${String(chat.id)}@${String(payload.date)}`;
  // One token without spaces or newlines, whatever a server sends: the journal is line- and space-separated.
  return `${type}:${identity}`.replace(/[^\w:/.-]/g, '_').slice(0, 80);
}

/**
 * The most recently handled updates (id → fingerprint), oldest forgotten first. Keyed by id but
 * matched on the fingerprint too: Telegram may restart its ids at a lower number, and an id seen in
 * the old sequence must not hide a new question. Pure.
 */
export class HandledUpdates {
  private readonly updates = new Map<number, string>();

  constructor(private readonly capacity = JOURNAL_CAPACITY) {}

  /**
   * 'handled' when this very update was handled; 'new-sequence' when its id was handled but for
   * another update (ids started again); 'unknown' otherwise. A fingerprint of '' (an old journal
   * line without one) matches any update with that id.
   */
  lookup(updateId: number, fingerprint: string): 'handled' | 'new-sequence' | 'unknown' {
    const known = this.updates.get(updateId);
    if (known === undefined) return 'unknown';
    return known === '' || known === fingerprint ? 'handled' : 'new-sequence';
  }

  add(updateId: number, fingerprint = ''): void {
    // re-added at the end: the newest is forgotten last
    this.updates.delete(updateId);
    this.updates.set(updateId, fingerprint);
    if (this.updates.size > this.capacity) this.updates.delete(this.updates.keys().next().value!);
  }

  /** The ids and fingerprints, oldest first. */
  entries(): Array<[number, string]> {
    return [...this.updates];
  }
}

/**
 * Reads a journal's text: one `id fingerprint` per line (or a bare id, as older journals wrote).
 * Anything else is skipped and counted, never fatal: the worst a lost id costs is a second answer.
 * A last line without its newline was cut by a crash mid-write — "12" may be the start of "123" —
 * so it is no id either.
 */
export function parseJournal(text: string): { entries: Array<[number, string]>; skipped: number } {
  const entries: Array<[number, string]> = [];
  let skipped = 0;
  const lines = text.split('\n');
  // the piece after the last newline: '' for a whole file, a cut line otherwise
  const cut = lines.pop()!;
  if (cut) skipped += 1;
  for (const line of lines) {
    if (!line) continue;
    const match = /^(\d{1,15})(?: (\S{1,80}))?$/.exec(line);
    if (match) entries.push([Number(match[1]), match[2] ?? '']);
    else skipped += 1;
  }
  return { entries, skipped };
}

/** An update as the journal sees it: its id, and the rest for its fingerprint. */
export type JournalUpdate = { update_id: number } & object;

/** Which updates this bot has already handled, kept across restarts. */
export interface UpdateJournal {
  /** Whether this update (same id, same fingerprint) was handled already. */
  has(update: JournalUpdate): boolean;
  /** Remembers an update as handled; written to disk before it returns. */
  record(update: JournalUpdate): void;
}

/**
 * Opens (or starts) the journal of handled updates in `dir`, one file per bot because update ids
 * are per bot. Long polling confirms an update only with a later getUpdates call, so a crash
 * after answering but before confirming has Telegram deliver it again; the journal lets the next
 * process skip it. Entries are appended synchronously (a crash right after the answer still finds
 * them) and the file is rewritten to the last JOURNAL_CAPACITY entries when it doubles. A journal
 * that cannot be read or written is logged and kept in memory only: the bot runs on.
 */
export function openUpdateJournal(dir: string, botId: number, logger: Logger, capacity = JOURNAL_CAPACITY): UpdateJournal {
  const file = join(dir, `handled-updates-${botId}.txt`);
  const handled = new HandledUpdates(capacity);
  let fd: number | null = null;
  let lines = 0;
  let cutShort = false;
  let restartLogged = false;

  const fail = (error: unknown, action: string) => {
    logger.warn({ file, error: (error as Error).message }, `update journal not ${action}; a re-delivered update may be answered twice`);
    if (fd !== null) closeSync(fd);
    fd = null;
  };

  try {
    const text = readFileSync(file, 'utf8');
    // a last line without its newline was cut by a crash: the next entry must not be glued onto it
    cutShort = text.length > 0 && !text.endsWith('\n');
    const { entries, skipped } = parseJournal(text);
    for (const [id, fingerprint] of entries) handled.add(id, fingerprint);
    lines = entries.length + skipped;
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

  const line = (id: number, fingerprint: string) => (fingerprint ? `${id} ${fingerprint}\n` : `${id}\n`);
  const compact = () => {
    const entries = handled.entries();
    // Written aside and renamed, so a crash never leaves a half-written journal under the real name.
    writeFileSync(`${file}.tmp`, entries.map(([id, fingerprint]) => line(id, fingerprint)).join(''));
    renameSync(`${file}.tmp`, file);
    closeSync(fd!);
    fd = openSync(file, 'a');
    lines = entries.length;
  };

  return {
    has(update) {
      const seen = handled.lookup(update.update_id, fingerprintOf(update));
      if (seen === 'new-sequence' && !restartLogged) {
        restartLogged = true;
        logger.warn({ update_id: update.update_id }, 'update ids started again (an id handled before now carries another update); answering it');
      }
      return seen === 'handled';
    },
    record(update) {
      const fingerprint = fingerprintOf(update);
      handled.add(update.update_id, fingerprint);
      if (fd === null) return;
      try {
        writeSync(fd, line(update.update_id, fingerprint));
        lines += 1;
        if (lines > 2 * capacity) compact();
      } catch (error) {
        fail(error, 'written');
      }
    },
  };
}

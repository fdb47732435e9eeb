import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf, HandledUpdates, openUpdateJournal, parseJournal } from '../../../src/telegram/update-journal.ts';

const BOT_ID = 7000000001;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'citebot-journal-'));
  dirs.push(dir);
  return dir;
};

/** A logger that keeps its records, to check what the journal warns about. */
function recordingLogger() {
  const records: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void records.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, records };
}

/** A private-chat message update, as Telegram sends it. */
const message = (updateId: number, messageId = updateId, chatId = 100001) => ({
  update_id: updateId,
  message: { message_id: messageId, date: 1_700_000_000, chat: { id: chatId, type: 'private' }, text: 'railway' },
});

describe('fingerprintOf', () => {
  it('tells updates apart by chat and message, or by query id, whatever their update id', () => {
    expect(fingerprintOf(message(5, 40))).toBe('message:100001/40');
    expect(fingerprintOf(message(9, 40))).toBe(fingerprintOf(message(5, 40)));
    expect(fingerprintOf(message(5, 41))).not.toBe(fingerprintOf(message(5, 40)));
    expect(fingerprintOf(message(5, 40, -100200))).not.toBe(fingerprintOf(message(5, 40)));
    expect(fingerprintOf({ update_id: 1, callback_query: { id: '4410', data: 'x' } })).toBe('callback_query:4410');
    expect(fingerprintOf({ update_id: 1, inline_query: { id: '77', query: 'a b' } })).toBe('inline_query:77');
  });

  it('is one token without spaces or newlines, whatever the server sends', () => {
    const fingerprint = fingerprintOf({ update_id: 1, inline_query: { id: 'a b\nc\u0000' } });
    expect(fingerprint).toMatch(/^\S+$/);
    expect(parseJournal(`1 ${fingerprint}\n`).entries).toEqual([[1, fingerprint]]);
  });
});

describe('HandledUpdates', () => {
  it('remembers updates up to its capacity, forgetting the oldest first', () => {
    const handled = new HandledUpdates(3);
    for (const id of [10, 11, 12, 11, 13]) handled.add(id, `m:${id}`);
    expect(handled.entries().map(([id]) => id)).toEqual([12, 11, 13]);
    expect(handled.lookup(10, 'm:10')).toBe('unknown');
    expect(handled.lookup(13, 'm:13')).toBe('handled');
  });

  it('knows a known id carrying another update for an id sequence that started again', () => {
    const handled = new HandledUpdates();
    handled.add(3, 'message:1/30');
    handled.add(4, '');
    expect(handled.lookup(3, 'message:1/30')).toBe('handled');
    expect(handled.lookup(3, 'message:1/2')).toBe('new-sequence');
    // a line from an older journal has no fingerprint: the id alone decides
    expect(handled.lookup(4, 'message:1/2')).toBe('handled');
  });
});

describe('parseJournal', () => {
  it('reads one id (and fingerprint) per line and skips anything else', () => {
    expect(parseJournal('1\n2 message:5/6\n\nx7\n3\n12\n')).toEqual({
      entries: [[1, ''], [2, 'message:5/6'], [3, ''], [12, '']],
      skipped: 1,
    });
    expect(parseJournal('\u0000\u0001garbage\n')).toEqual({ entries: [], skipped: 1 });
  });

  it('takes a last line without its newline for a write cut by a crash, not for an id', () => {
    // "12" may be the start of "123": trusting it would skip update 12 as handled
    expect(parseJournal('10\n11\n12')).toEqual({ entries: [[10, ''], [11, '']], skipped: 1 });
    expect(parseJournal('10 message:1/10\n11 mess')).toEqual({ entries: [[10, 'message:1/10']], skipped: 1 });
  });
});

describe('openUpdateJournal', () => {
  it('remembers handled updates across a restart', () => {
    const dir = tempDir();
    const { logger } = recordingLogger();
    const first = openUpdateJournal(dir, BOT_ID, logger);
    first.record(message(41));
    first.record(message(42));
    const second = openUpdateJournal(dir, BOT_ID, logger);
    expect(second.has(message(42))).toBe(true);
    expect(second.has(message(43))).toBe(false);
    // another bot's ids are its own
    expect(openUpdateJournal(dir, 8000000002, logger).has(message(42))).toBe(false);
  });

  it('answers, with a warning, a known update id that now carries another update (ids started again)', () => {
    const dir = tempDir();
    const { logger, records } = recordingLogger();
    const before = openUpdateJournal(dir, BOT_ID, logger);
    for (let id = 1; id <= 5; id++) before.record(message(id, 100 + id));
    const after = openUpdateJournal(dir, BOT_ID, logger);
    // the new sequence starts at 1 again, with new messages
    expect(after.has(message(1, 201))).toBe(false);
    expect(after.has(message(2, 202))).toBe(false);
    // a true re-delivery is still skipped
    expect(after.has(message(5, 105))).toBe(true);
    after.record(message(1, 201));
    expect(openUpdateJournal(dir, BOT_ID, logger).has(message(1, 201))).toBe(true);
    expect(records.filter((r) => r.level === 40 && /update ids started again/.test(r.msg))).toHaveLength(1);
  });

  it('starts from a damaged file with what it can read, ignores a cut last line, and warns', () => {
    const dir = tempDir();
    const file = join(dir, `handled-updates-${BOT_ID}.txt`);
    writeFileSync(file, '5\n\u0000zz\n6\n7'); // the last line lost the rest of its id and its newline in a crash
    const { logger, records } = recordingLogger();
    const journal = openUpdateJournal(dir, BOT_ID, logger);
    journal.record(message(8));
    expect([5, 6, 7, 8].map((id) => journal.has(message(id)))).toEqual([true, true, false, true]);
    // the cut line did not swallow the next entry
    expect(openUpdateJournal(dir, BOT_ID, logger).has(message(8))).toBe(true);
    expect(records.filter((r) => r.level === 40).map((r) => r.msg)).toContain('update journal: unreadable lines skipped');
  });

  it('stays bounded on disk', () => {
    const dir = tempDir();
    const { logger } = recordingLogger();
    const journal = openUpdateJournal(dir, BOT_ID, logger, 10);
    for (let id = 1; id <= 35; id++) journal.record(message(id));
    const lines = readFileSync(join(dir, `handled-updates-${BOT_ID}.txt`), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    const reopened = openUpdateJournal(dir, BOT_ID, logger, 10);
    expect(reopened.has(message(35))).toBe(true);
    expect(reopened.has(message(26))).toBe(true);
    expect(reopened.has(message(1))).toBe(false);
  });

  it('keeps working in memory when the folder cannot be written, with a warning', () => {
    const dir = tempDir();
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    const { logger, records } = recordingLogger();
    const journal = openUpdateJournal(join(blocked, 'state'), BOT_ID, logger);
    journal.record(message(1));
    expect(journal.has(message(1))).toBe(true);
    expect(records.some((r) => r.level === 40 && /update journal not opened/.test(r.msg))).toBe(true);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { HandledUpdates, openUpdateJournal, parseJournal } from '../../../src/telegram/update-journal.ts';

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

describe('HandledUpdates', () => {
  it('remembers ids up to its capacity, forgetting the oldest first', () => {
    const handled = new HandledUpdates(3);
    for (const id of [10, 11, 12, 11, 13]) handled.add(id);
    expect(handled.toArray()).toEqual([11, 12, 13]);
    expect(handled.has(10)).toBe(false);
    expect(handled.has(13)).toBe(true);
  });
});

describe('parseJournal', () => {
  it('reads one id per line and skips anything else', () => {
    expect(parseJournal('1\n2\n\nx7\n3\n12')).toEqual({ ids: [1, 2, 3, 12], skipped: 1 });
    expect(parseJournal('\u0000\u0001garbage')).toEqual({ ids: [], skipped: 1 });
  });
});

describe('openUpdateJournal', () => {
  it('remembers handled updates across a restart', () => {
    const dir = tempDir();
    const { logger } = recordingLogger();
    const first = openUpdateJournal(dir, BOT_ID, logger);
    first.record(41);
    first.record(42);
    const second = openUpdateJournal(dir, BOT_ID, logger);
    expect(second.has(42)).toBe(true);
    expect(second.has(43)).toBe(false);
    // another bot's ids are its own
    expect(openUpdateJournal(dir, 8000000002, logger).has(42)).toBe(false);
  });

  it('starts from a damaged file with what it can read, and warns', () => {
    const dir = tempDir();
    const file = join(dir, `handled-updates-${BOT_ID}.txt`);
    writeFileSync(file, '5\n\u0000zz\n6\n7'); // the last line lost its newline in a crash
    const { logger, records } = recordingLogger();
    const journal = openUpdateJournal(dir, BOT_ID, logger);
    journal.record(8);
    expect([5, 6, 7, 8].map((id) => journal.has(id))).toEqual([true, true, true, true]);
    expect(openUpdateJournal(dir, BOT_ID, logger).has(8)).toBe(true);
    expect(records.filter((r) => r.level === 40).map((r) => r.msg)).toContain('update journal: unreadable lines skipped');
  });

  it('stays bounded on disk', () => {
    const dir = tempDir();
    const { logger } = recordingLogger();
    const journal = openUpdateJournal(dir, BOT_ID, logger, 10);
    for (let id = 1; id <= 35; id++) journal.record(id);
    const lines = readFileSync(join(dir, `handled-updates-${BOT_ID}.txt`), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    const reopened = openUpdateJournal(dir, BOT_ID, logger, 10);
    expect(reopened.has(35)).toBe(true);
    expect(reopened.has(26)).toBe(true);
    expect(reopened.has(1)).toBe(false);
  });

  it('keeps working in memory when the folder cannot be written, with a warning', () => {
    const dir = tempDir();
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    const { logger, records } = recordingLogger();
    const journal = openUpdateJournal(join(blocked, 'state'), BOT_ID, logger);
    journal.record(1);
    expect(journal.has(1)).toBe(true);
    expect(records.some((r) => r.level === 40 && /update journal not opened/.test(r.msg))).toBe(true);
  });
});

/**
 * The copies vendored into test/fixtures: complete, and byte for byte what the project's shared
 * material holds, so the floors measure the same tasks as `npm run eval -- --tasks
 * ../shared/eval/tasks`. The comparison is skipped in a plain clone, which has nothing to compare with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasShared, SHARED, TELEGRAM_UPDATES, XQUAD_TASKS } from './fixtures.ts';

const VENDORED = [
  { name: 'XQuAD tasks', ours: XQUAD_TASKS, theirs: new URL('eval/tasks/', SHARED), pattern: /\.jsonl?$/ },
  { name: 'Telegram updates', ours: TELEGRAM_UPDATES, theirs: new URL('telegram/updates/', SHARED), pattern: /\.json$/ },
];

describe('vendored fixtures', () => {
  it('hold every file tasks.json names', () => {
    const tasks = JSON.parse(readFileSync(new URL('tasks.json', XQUAD_TASKS), 'utf8')) as Record<string, { corpus: string; queries: string }>;
    const present = new Set(readdirSync(XQUAD_TASKS));
    expect(Object.keys(tasks).length).toBeGreaterThan(0);
    for (const task of Object.values(tasks)) {
      expect(present.has(task.corpus), task.corpus).toBe(true);
      expect(present.has(task.queries), task.queries).toBe(true);
    }
  });

  it.runIf(hasShared).each(VENDORED)('$name are the shared files, unchanged', ({ ours, theirs, pattern }) => {
    const files = readdirSync(ours).filter((f) => pattern.test(f)).sort();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(readFileSync(new URL(file, ours)).equals(readFileSync(new URL(file, theirs))), file).toBe(true);
    }
  });
});

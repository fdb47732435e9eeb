/**
 * Simplified and traditional Chinese find each other (#14), measured on DRCD (Traditional Chinese
 * Wikipedia) and its OpenCC simplified conversion, vendored in test/fixtures/drcd/ (every 5th
 * paragraph: 200 passages, 709 questions; test/quality/build-drcd-tasks.ts makes them). Each task
 * is named questions' script → passages' script. Measured at this version: R@1 0.983 (697 of 709)
 * in all four, against 0.749 (simplified → traditional) and 0.707 (traditional → simplified)
 * before the fold. Floors sit just under the measured figure; each cross-script run must also be
 * within 0.02 of the same-script runs.
 */
import { describe, expect, it } from 'vitest';
import { evaluateTask, readTasks, type TaskResult } from '../../src/cli/evaluate.ts';
import { loadDictionary } from '../../src/search/dictionary/dictionary.ts';
import { createTranslator } from '../../src/search/translate.ts';

const TASKS = 'test/fixtures/drcd';
const FLOOR = 0.975;
/** Furthest a cross-script R@1 may fall below the lower same-script one. */
const MAX_GAP = 0.02;

const tasks = readTasks(TASKS);
const translator = createTranslator(loadDictionary());
const results = new Map<string, TaskResult>();
const r1 = (name: string) => {
  if (!results.has(name)) results.set(name, evaluateTask(TASKS, tasks[name]!, translator));
  return results.get(name)!;
};

describe('DRCD passage retrieval across scripts (R@1, as the bot answers)', () => {
  it.each(['drcd-trad-trad', 'drcd-simp-simp', 'drcd-simp-trad', 'drcd-trad-simp'])('%s stays at or above the floor', (name) => {
    const result = r1(name);
    expect(result.n).toBe(709);
    expect(result.r1).toBeGreaterThanOrEqual(FLOOR);
  });

  it.each(['drcd-simp-trad', 'drcd-trad-simp'])('%s is within 0.02 of same-script', (name) => {
    const sameScript = Math.min(r1('drcd-trad-trad').r1, r1('drcd-simp-simp').r1);
    expect(r1(name).r1).toBeGreaterThanOrEqual(sameScript - MAX_GAP);
  });
});

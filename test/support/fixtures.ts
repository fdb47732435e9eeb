/**
 * Where the tests find the material vendored into the repository (test/fixtures), so a plain
 * clone runs every test, and where the project's shared folder would be (`../shared` beside the
 * checkout), which only the in-step checks and the benchmarks use.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The XQuAD passage-retrieval tasks (tasks.json and the files it names). */
export const XQUAD_TASKS = new URL('../fixtures/xquad/', import.meta.url);
export const XQUAD_TASKS_DIR = fileURLToPath(XQUAD_TASKS);
/** Captured Telegram updates, one JSON `Update` per file. */
export const TELEGRAM_UPDATES = new URL('../fixtures/telegram-updates/', import.meta.url);
/** The project's shared material, beside the checkout; absent from a plain clone. */
export const SHARED = new URL('../../../shared/', import.meta.url);
/** Whether the shared folder is there (checks against it are skipped otherwise). */
export const hasShared = existsSync(SHARED);

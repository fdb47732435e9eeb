/**
 * The token pasted into the wrong place never reaches the terminal: configuration errors, corpus
 * errors and warnings, as the bot process writes them.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, runBot, TEST_TOKEN } from '../support/bot-process.ts';

const SECRET_PART = TEST_TOKEN.split(':')[1]!;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'citebot-redaction-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Runs the bot to its start-up failure and returns everything it wrote, checking it exited 1. */
async function failedStart(env: Parameters<typeof runBot>[0]): Promise<string> {
  const run = await runBot({ TELEGRAM_API_ROOT: 'http://127.0.0.1:9', ...env });
  expect(run.code).toBe(1);
  return run.stdout + run.stderr;
}

describe('the token in the wrong variable', { timeout: E2E_TIMEOUT_MS }, () => {
  it('is redacted from configuration errors (ADMIN_IDS, LOG_LEVEL), with BOT_TOKEN set or not', async () => {
    for (const env of [{ BOT_TOKEN: TEST_TOKEN, ADMIN_IDS: TEST_TOKEN, LOG_LEVEL: TEST_TOKEN }, { ADMIN_IDS: TEST_TOKEN }]) {
      const output = await failedStart(env);
      expect(output).toMatch(/ADMIN_IDS must be/);
      expect(output).toContain('[redacted]');
      expect(output).not.toContain(SECRET_PART);
    }
  });

  it('is redacted from the corpus error when DATA_DIR is the token', async () => {
    const output = await failedStart({ BOT_TOKEN: TEST_TOKEN, DATA_DIR: TEST_TOKEN });
    expect(output).toMatch(/data folder not found: \[redacted\]/);
    expect(output).not.toContain(SECRET_PART);
  });

  it('is redacted from corpus warnings and errors when a document holds it', async () => {
    const dir = join(scratch, TEST_TOKEN); // the folder's name too
    await mkdir(dir);
    await writeFile(join(dir, 'broken.jsonl'), `{"text": "${TEST_TOKEN}" oops\n[1, "${TEST_TOKEN}"]\n`);
    const output = await failedStart({ BOT_TOKEN: TEST_TOKEN, DATA_DIR: dir, LOG_LEVEL: 'debug' });
    expect(output).toMatch(/not valid JSON/);
    expect(output).toMatch(/no passages found in/);
    expect(output).not.toContain(SECRET_PART);
  });
});

/**
 * `npm run --silent ask -- [--data DIR] [--limit N] [--json] [QUESTION]`
 *
 * Answers questions from the data folder in a terminal. Without QUESTION it reads one question
 * per line from standard input and answers each as soon as it is read, so evaluation scripts can
 * use it as a long-running retriever. Standard output carries only answers; logs go to stderr.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { answerQuestion, type Answer } from '../answer.ts';
import { ConfigError, parseConfig } from '../config.ts';
import { CorpusError } from '../corpus/load.ts';
import { createLogger } from '../logger.ts';
import { redact } from '../redact.ts';
import { openIndex } from '../startup.ts';
import { ANSI_STYLE, PLAIN_STYLE, renderAnswerText } from './render-text.ts';

const USAGE = 'usage: npm run --silent ask -- [--data DIR] [--limit N] [--json] [QUESTION]';

/** The `--json` line for one question: a stable contract for other tools. */
export function answerToJson(answer: Answer): string {
  return JSON.stringify({
    query: answer.query,
    results: answer.hits.map(({ passage, score }) => ({
      id: passage.id,
      docId: passage.docId,
      score: Math.round(score * 1000) / 1000,
      text: passage.text,
      title: passage.title,
      source: passage.publisher,
      date: passage.date,
      section: passage.section,
    })),
  });
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        limit: { type: 'string', default: '3' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const limit = Number(args.values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    process.stderr.write(`--limit must be a whole number from 1 to 100; got "${args.values.limit}"\n`);
    return 2;
  }

  dotenv.config({ quiet: true });
  const config = parseConfig({ ...process.env, BOT_TOKEN: undefined });
  const logger = createLogger(config.logLevel === 'info' && !args.values.json ? 'warn' : config.logLevel, [process.env.BOT_TOKEN]);
  const { index } = await openIndex(args.values.data ?? config.dataDir, logger, { cacheDir: config.indexCacheDir });

  const respond = (question: string) => {
    const answer = answerQuestion(index, question, { limit });
    const out = args.values.json
      ? `${answerToJson(answer)}\n`
      : renderAnswerText(answer, process.stdout.isTTY ? ANSI_STYLE : PLAIN_STYLE);
    process.stdout.write(out);
  };

  const question = args.positionals.join(' ').trim();
  if (question) {
    respond(question);
    return 0;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (args.values.json || line.trim()) respond(line);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A token pasted into DATA_DIR or --data would be in the message.
    const write = (text: string) => process.stderr.write(redact(text, [process.env.BOT_TOKEN]));
    if (error instanceof ConfigError || error instanceof CorpusError) {
      write(`${error.message}\n`);
    } else {
      write(`ask failed: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  },
);

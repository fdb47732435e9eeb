/** The `ask` command, run as a child process the way a person or an evaluation script runs it. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'documents');
const TIMEOUT = 30_000;

/** A clean environment: no settings inherited from the shell running the tests. */
function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['BOT_TOKEN', 'DATA_DIR', 'LOG_LEVEL', 'TELEGRAM_API_ROOT', 'NODE_OPTIONS']) delete e[name];
  return e;
}

function start(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(TSX, ['src/cli/ask.ts', ...args], { cwd: ROOT, env: env() });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ask` to completion, writing `input` to its standard input (or closing it at once). */
function ask(args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = start(args);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

interface JsonResult {
  id: string;
  docId: string;
  score: number;
  text: string;
  title: string | null;
  source: string | null;
  date: string | null;
  section: string | null;
}

/** Parses one `--json` line and checks it has exactly the documented shape. */
function parseAnswerLine(line: string): { query: string; results: JsonResult[] } {
  const answer = JSON.parse(line) as Record<string, unknown>;
  expect(Object.keys(answer).sort()).toEqual(['query', 'results']);
  expect(typeof answer.query).toBe('string');
  expect(Array.isArray(answer.results)).toBe(true);
  for (const result of answer.results as Record<string, unknown>[]) {
    expect(Object.keys(result).sort()).toEqual(['date', 'docId', 'id', 'score', 'section', 'source', 'text', 'title']);
    for (const key of ['id', 'docId', 'text']) expect(typeof result[key], key).toBe('string');
    expect(typeof result.score).toBe('number');
    for (const key of ['title', 'source', 'date', 'section']) {
      expect(result[key] === null || typeof result[key] === 'string', key).toBe(true);
    }
  }
  return answer as unknown as { query: string; results: JsonResult[] };
}

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

describe('ask', { timeout: TIMEOUT }, () => {
  let jsonlDir = '';

  beforeAll(async () => {
    jsonlDir = await mkdtemp(join(tmpdir(), 'citebot-ask-'));
    await writeFile(
      join(jsonlDir, 'eval.jsonl'),
      [
        JSON.stringify({ id: 'gold-42', text: 'The Almaty solar power station was built with Chinese partners.', title: 'Energy' }),
        JSON.stringify({ id: 'gold-7', text: 'Tea exports from Fujian rose sharply last spring.' }),
      ].join('\n'),
    );
  });

  afterAll(async () => {
    if (jsonlDir) await rm(jsonlDir, { recursive: true, force: true });
  });

  it('answers a question for a person, with a source line of title · publisher · date · section', async () => {
    const run = await ask(['Is the China-Kazakhstan third railway progressing?']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^1\. Major projects such as /m);
    expect(run.stdout).toContain(
      '以高质量发展推进共同现代化(和音)——始终秉持并不断发扬光大“中国—中亚精神”④ · Ren Min Ri Bao · 2025-06-22 22:09 · Group 1',
    );
    // Not a terminal: matches are marked as **word**, without ANSI codes.
    expect(run.stdout).toContain('**Kazakhstan** **third** **railway**');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('tells a person when nothing was found', async () => {
    const run = await ask(['What is the capital of France?']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Nothing found/);
  });

  it('prints exactly one JSON line of the documented shape with --json', async () => {
    const run = await ask(['--json', 'China-Kazakhstan third railway']);
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(lines(run.stdout)).toHaveLength(1);
    const answer = parseAnswerLine(lines(run.stdout)[0]!);
    expect(answer.query).toBe('China-Kazakhstan third railway');
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.results.length).toBeLessThanOrEqual(3);
    expect(answer.results[0]).toMatchObject({ source: 'Ren Min Ri Bao', date: '2025-06-22 22:09', section: 'Group 1' });
    expect(answer.results[0]?.text).toContain('China-Kazakhstan third railway');
  });

  it('returns at most --limit results', async () => {
    const one = parseAnswerLine(lines((await ask(['--json', '--limit', '1', 'China Central Asia cooperation'])).stdout)[0]!);
    expect(one.results).toHaveLength(1);
    const many = parseAnswerLine(lines((await ask(['--json', '--limit', '5', 'China Central Asia cooperation'])).stdout)[0]!);
    expect(many.results.length).toBeGreaterThan(1);
    expect(many.results.length).toBeLessThanOrEqual(5);
  });

  it('shows the page of a PDF passage in its source line, and keeps standard output clean of pdf.js', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'citebot-ask-pdf-'));
    try {
      for (const name of ['dry-ports-report.pdf', 'encrypted-report.pdf', 'scanned-letter.pdf']) await copyFile(join(FIXTURES, name), join(dir, name));
      const run = await ask(['--data', dir, 'How many containers did Khorgos handle in 2024?']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^1\. .*512,000/m);
      expect(run.stdout).toContain('Dry Ports of the Silk Road: 2024 Review · Khorgos Gateway › p. 2');
      expect(run.stderr).toMatch(/encrypted-report\.pdf/);
      expect(run.stderr).toMatch(/scanned-letter\.pdf/);
      const json = await ask(['--json', '--data', dir, 'Khorgos containers']);
      expect(lines(json.stdout)).toHaveLength(1);
      expect(parseAnswerLine(lines(json.stdout)[0]!).results[0]).toMatchObject({ docId: 'dry-ports-report.pdf', section: 'Khorgos Gateway › p. 2' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad --limit with exit 2', async () => {
    const run = await ask(['--limit', '0', 'railway']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--limit/);
    expect(run.stdout).toBe('');
  });

  it('answers an unanswerable question with no results', async () => {
    const run = await ask(['--json', 'Who won the 2022 World Cup?']);
    expect(run.code).toBe(0);
    expect(parseAnswerLine(lines(run.stdout)[0]!)).toEqual({ query: 'Who won the 2022 World Cup?', results: [] });
  });

  it('answers each line of standard input as soon as it is read', async () => {
    const child = start(['--json']);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const output = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => {
      const line = await output.next();
      expect(line.done, `no answer; stderr: ${stderr}`).toBe(false);
      return parseAnswerLine(line.value as string);
    };

    child.stdin.write('How long is the border between China and the Central Asian countries?\n');
    const first = await next(); // stdin is still open: the answer came for the line alone
    expect(first.query).toBe('How long is the border between China and the Central Asian countries?');
    expect(first.results[0]?.text).toContain('3,300-kilometer border');

    child.stdin.write('What is the capital of France?\n');
    const second = await next();
    expect(second).toEqual({ query: 'What is the capital of France?', results: [] });

    child.stdin.end();
    expect(await exited).toBe(0);
    expect((await output.next()).done).toBe(true);
  });

  it('keeps standard output to the JSON lines only; logs go to standard error', async () => {
    const run = await ask(['--json'], 'railway\n中吉乌铁路\nWhat is the capital of France?\n');
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out).toHaveLength(3);
    expect(out.map((line) => parseAnswerLine(line).query)).toEqual(['railway', '中吉乌铁路', 'What is the capital of France?']);
    expect(run.stderr).toMatch(/corpus loaded/);
  });

  it('reads the folder given by --data, with JSONL ids as docId', async () => {
    const run = await ask(['--json', '--data', jsonlDir, 'Almaty solar power station']);
    expect(run.code).toBe(0);
    const answer = parseAnswerLine(lines(run.stdout)[0]!);
    expect(answer.results.map((r) => [r.id, r.docId, r.title])).toEqual([['gold-42', 'gold-42', 'Energy']]);
  });

  it('names a record without a title after its file in the source line', async () => {
    const run = await ask(['--data', jsonlDir, 'Tea exports from Fujian']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^1\. \*\*Tea\*\* \*\*exports\*\* from \*\*Fujian\*\*/);
    expect(run.stdout).toMatch(/^ {3}— eval$/m);
  });

  it('fails with exit 1 and a clear message when --data does not exist', async () => {
    const run = await ask(['--json', '--data', '/nonexistent', 'railway']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/data folder not found: \/nonexistent/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    expect(run.stdout).toBe('');
  });

  it('summarizes the files it does not read in one warning on standard error, and answers from a GBK file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'citebot-ask-kinds-'));
    try {
      await writeFile(join(dir, 'news-gbk.txt'), iconv.encode('中国与中亚国家的贸易额自首届峰会以来增长了百分之三十五。', 'gbk'));
      await writeFile(join(dir, 'slides.pptx'), 'PK\u0003\u0004');
      await writeFile(join(dir, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      const run = await ask(['--data', dir, '中亚贸易额增长']);
      expect(run.code).toBe(0);
      expect(run.stdout.replaceAll('**', '')).toContain('中国与中亚国家的贸易额自首届峰会以来增长了百分之三十五。');
      const warnings = lines(run.stderr).map((line) => JSON.parse(line) as { level: number; msg: string; ignored?: number }).filter((log) => log.ignored);
      expect(warnings).toEqual([
        expect.objectContaining({ level: 40, ignored: 2, msg: '2 files ignored, not a kind we read (photo.png, slides.pptx); we read .txt .md .markdown .jsonl .csv .pdf .docx .html .htm' }),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the ignored files too when they are all there is, and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'citebot-ask-pdfs-'));
    try {
      await writeFile(join(dir, 'report.pptx'), 'PK\u0003\u0004');
      const run = await ask(['--data', dir, 'railway']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('1 file ignored, not a kind we read (report.pptx); we read .txt .md .markdown .jsonl .csv .pdf .docx .html .htm');
      expect(run.stderr).toContain(`no passages found in ${dir}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The logger on a standard error nobody reads: it holds lines back up to a bound, then drops and counts them. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_LOG_BYTES } from '../../src/logger.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Logs `lines` lines of ~1 KB each at once, with standard error made non-blocking as in the bot,
 * then exits 0 the way the bot does (main.ts: flushLogs, then process.exit).
 */
const SCRIPT = (lines: number) => `
  const { createLogger, flushLogs } = await import('./src/logger.ts');
  process.stderr.isTTY; // what main.ts does: fd 2 becomes non-blocking, the cause of EAGAIN
  const logger = createLogger('info', ['7000000001:secret-secret-secret']);
  const pad = 'x'.repeat(1000);
  for (let i = 0; i < ${lines}; i++) logger.info({ n: i, pad, token: '7000000001:secret-secret-secret' }, 'burst');
  logger.info('last line');
  process.stdout.write('burst done');
  await flushLogs();
  process.exit(0);
`;

describe('createLogger on a pipe that is not read', () => {
  it('never throws or blocks, drops what exceeds its bound, says how many, and writes the rest at exit', async () => {
    const lines = Math.ceil((2 * MAX_PENDING_LOG_BYTES) / 1000);
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT(lines)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stderr.pause(); // nobody reads until the burst is over
    child.stdout.once('data', () => child.stderr.resume());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr.slice(-1500)).toBe(0);
    const records = stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; dropped?: number });
    const notices = records.filter((r) => r.msg === 'log lines dropped');
    const dropped = notices.reduce((sum, r) => sum + r.dropped!, 0);
    expect(dropped).toBeGreaterThan(0);
    // Every line is either written or counted: nothing is lost without a trace.
    expect(records.length - notices.length + dropped).toBe(lines + 1);
    expect(stderr).not.toContain('secret-secret-secret');
  }, 30_000);
});

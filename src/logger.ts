import pino, { type Logger } from 'pino';
import sonicBoom, { type SonicBoom } from 'sonic-boom';
import type { LogLevel } from './config.ts';
import { redact } from './redact.ts';

export type { Logger };
/** Re-exported: main.ts and the CLI scrub what they write outside the logger the same way. */
export { redact };

/**
 * Log bytes held in memory while standard error is not read (a full pipe); lines beyond it are
 * dropped and counted ("log lines dropped"), so a stalled reader costs memory up to this, never
 * the process.
 */
export const MAX_PENDING_LOG_BYTES = 4 * 1024 * 1024;

/** How long, at exit, held-back lines may wait for a reader before they are given up (ms). */
const EXIT_FLUSH_MS = 2_000;

/** Every log sink of the process, flushed (within EXIT_FLUSH_MS) when it exits. */
const sinks = new Set<LogSink>();

/**
 * Creates the logger: JSON lines on standard error (standard output belongs to answers), with
 * every secret scrubbed from the finished line, so a token inside an error message or URL is
 * never written, whatever field it hides in. Writes never block or throw: standard error may be
 * a pipe that is full (EAGAIN), slow or closed, and logging must not kill the bot (issue #15).
 */
export function createLogger(level: LogLevel, secrets: (string | null | undefined)[] = []): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, new LogSink(2, secrets));
}

/**
 * Asynchronous, bounded writes to a file descriptor (sonic-boom): a refused write (EAGAIN) is
 * retried later while the lines after it wait in memory, up to MAX_PENDING_LOG_BYTES.
 */
class LogSink {
  private readonly out: SonicBoom;
  private dropped = 0;
  /** Lines were written to `out` that it has not finished writing to the descriptor yet. */
  private pending = false;
  private exitDeadline = Infinity;

  constructor(fd: number, private readonly secrets: (string | null | undefined)[]) {
    this.out = new sonicBoom.SonicBoom({
      fd,
      sync: false,
      maxLength: MAX_PENDING_LOG_BYTES,
      // Retry while running; at exit only until the deadline (nobody may ever read the pipe).
      retryEAGAIN: () => Date.now() < this.exitDeadline,
    });
    this.out.on('drop', () => this.dropped++);
    // Emitted (asynchronous mode) whenever everything handed to it has been written.
    this.out.on('drain', () => (this.pending = false));
    // EPIPE or a closed descriptor: nowhere left to log to, and no reason to crash for it.
    this.out.on('error', () => this.dropped++);
    sinks.add(this);
    if (sinks.size === 1) process.once('exit', flushAllSinks);
  }

  write(line: string): void {
    this.reportDropped();
    this.pending = true;
    this.out.write(redact(line, this.secrets));
  }

  /** Writes how many lines were dropped since the last such notice, if any were. */
  private reportDropped(): void {
    if (this.dropped === 0) return;
    const count = this.dropped;
    this.dropped = 0;
    this.pending = true;
    this.out.write(`${JSON.stringify({ level: 40, time: new Date().toISOString(), dropped: count, msg: 'log lines dropped' })}\n`);
    if (this.dropped > 0) this.dropped = count; // the notice was dropped too: report them later
  }

  /** Resolves once what is held back is written, or after `timeoutMs`. */
  flush(timeoutMs: number): Promise<void> {
    this.reportDropped();
    if (!this.pending) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.out.off('drain', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.out.on('drain', done);
    });
  }

  /**
   * Writes what is held back, waiting for a reader at most EXIT_FLUSH_MS. Without an event loop
   * this cannot wait for a write already in progress, whose lines may come out after the rest:
   * a graceful exit awaits flushLogs first.
   */
  flushAtExit(): void {
    this.exitDeadline = Date.now() + EXIT_FLUSH_MS;
    try {
      this.out.flushSync();
      // Written once there is room: the count of lines dropped since the last notice.
      this.reportDropped();
      this.out.flushSync();
    } catch {
      // The reader stayed away past the deadline (or the descriptor is closed): the rest is lost.
    }
  }
}

/**
 * Waits (at most `timeoutMs`) until every log line so far is written: what a graceful exit does
 * before process.exit, which would otherwise cut off a write in progress to a slow reader.
 */
export async function flushLogs(timeoutMs = EXIT_FLUSH_MS): Promise<void> {
  await Promise.all([...sinks].map((sink) => sink.flush(timeoutMs)));
}

function flushAllSinks(): void {
  for (const sink of sinks) sink.flushAtExit();
}

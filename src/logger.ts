import { writeSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/**
 * Creates the logger: JSON lines on standard error (standard output belongs to answers), with
 * every secret scrubbed from the finished line, so a token inside an error message or URL is
 * never written, whatever field it hides in.
 */
export function createLogger(level: LogLevel, secrets: (string | null | undefined)[] = []): Logger {
  const hidden = secrets.filter((s): s is string => !!s && s.length >= 8);
  const scrub = (line: string) => hidden.reduce((text, secret) => text.split(secret).join('[redacted]'), line);
  return pino(
    { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
    { write: (line: string) => void writeSync(2, scrub(line)) },
  );
}

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
  return pino(
    { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
    { write: (line: string) => void writeSync(2, redact(line, secrets)) },
  );
}

/** Replaces every occurrence of each secret (8 characters or longer) in text with "[redacted]". */
export function redact(text: string, secrets: (string | null | undefined)[]): string {
  return secrets.reduce<string>(
    (out, secret) => (secret && secret.length >= 8 ? out.split(secret).join('[redacted]') : out),
    text,
  );
}

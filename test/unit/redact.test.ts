import { describe, expect, it } from 'vitest';
import { redact } from '../../src/redact.ts';

const TOKEN = `123456789:${'AbC-_9'.repeat(6)}`;
const SECRET = TOKEN.split(':')[1]!;

describe('redact', () => {
  it('hides the token, its part after the colon, and the token trimmed of spaces', () => {
    expect(redact(`a ${TOKEN} b ${SECRET} c`, [TOKEN])).toBe('a [redacted] b [redacted] c');
    expect(redact(`x${TOKEN}y`, [` ${TOKEN}\n`])).not.toContain(SECRET);
  });

  it('hides anything shaped like a bot token, known or not', () => {
    const other = `987654:${'z'.repeat(40)}`;
    expect(redact(`DATA_DIR=/srv/${other}/docs`, [])).toBe('DATA_DIR=/srv/[redacted]/docs');
  });

  it('leaves short secrets, and ordinary text with colons, alone', () => {
    expect(redact('time 12:30, ids 1:2', ['short'])).toBe('time 12:30, ids 1:2');
    expect(redact('a short b', ['short'])).toBe('a short b');
  });
});

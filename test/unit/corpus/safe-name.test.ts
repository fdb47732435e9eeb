import { describe, expect, it } from 'vitest';
import { extensionOf, MAX_NAME_BYTES, safeFileName, withNumber } from '../../../src/corpus/safe-name.ts';

describe('safeFileName', () => {
  it('keeps an ordinary name, lower-casing only the extension', () => {
    expect(safeFileName('Rail links.md')).toBe('Rail links.md');
    expect(safeFileName('中亚合作 2025.TXT')).toBe('中亚合作 2025.txt');
  });

  it('keeps only the last path segment: no traversal, no folders', () => {
    expect(safeFileName('../../evil.txt')).toBe('evil.txt');
    expect(safeFileName('..\\..\\windows\\evil.md')).toBe('evil.md');
    expect(safeFileName('/etc/passwd.txt')).toBe('passwd.txt');
    expect(safeFileName('a/b/')).toBe('b');
    expect(safeFileName('..')).toBe('document');
    expect(safeFileName('../')).toBe('document');
  });

  it('never makes a hidden file: leading dots go', () => {
    expect(safeFileName('.env')).toBe('env');
    expect(safeFileName('.env.txt')).toBe('env.txt');
    expect(safeFileName('...hidden.md')).toBe('hidden.md');
    expect(extensionOf(safeFileName('.env'))).toBe('');
  });

  it('drops control and invisible format characters, including bidi overrides that disguise an extension', () => {
    expect(safeFileName('rep\u0000ort\n\r\t.txt')).toBe('report.txt');
    expect(safeFileName('photo\u202Etxt.exe')).toBe('phototxt.exe');
    expect(safeFileName('zero\u200Bwidth.md')).toBe('zerowidth.md');
    expect(safeFileName('a<b>c:d"e|f?g*h.txt')).toBe('a_b_c_d_e_f_g_h.txt');
    expect(safeFileName('  spaced   out  .txt  ')).toBe('spaced out.txt');
  });

  it('bounds the length in UTF-8 bytes and keeps the extension', () => {
    const long = safeFileName(`${'很长的名字'.repeat(100)}.md`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(long.endsWith('.md')).toBe(true);
    expect(long.includes('\uFFFD')).toBe(false);
    expect(Buffer.byteLength(safeFileName(`${'a'.repeat(1000)}.txt`))).toBe(MAX_NAME_BYTES);
  });

  it('names a file with nothing usable left "document", and prefixes names Windows reserves', () => {
    expect(safeFileName('')).toBe('document');
    expect(safeFileName('.txt')).toBe('txt');
    expect(safeFileName('\u0001\u0002.md')).toBe('md'); // a hidden name loses its dot, as .env does
    expect(safeFileName('\u0001\u0002')).toBe('document');
    expect(safeFileName('CON.txt')).toBe('_CON.txt');
  });

  it('is idempotent and always yields a plain name', () => {
    for (const name of ['../../evil.txt', '.env', 'a/b\\c.md', `${'x'.repeat(300)}.jsonl`, ' . . ', 'CON', '\u202E.txt']) {
      const safe = safeFileName(name);
      expect(safeFileName(safe), name).toBe(safe);
      expect(safe, name).not.toMatch(/[\\/\u0000-\u001F]|^\./);
    }
  });
});

describe('withNumber', () => {
  it('numbers before the extension and stays within the length bound', () => {
    expect(withNumber('report.txt', 2)).toBe('report-2.txt');
    expect(withNumber('notes', 3)).toBe('notes-3');
    const long = safeFileName(`${'b'.repeat(500)}.md`);
    expect(Buffer.byteLength(withNumber(long, 12))).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(withNumber(long, 12).endsWith('-12.md')).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { BinaryContentError, declaredHtmlCharset, decodeHtml, decodeText } from '../../../src/corpus/decode.ts';

/** Real sentences: a title of the shipped digest (simplified) and DRCD (traditional, test/fixtures/drcd). */
const DIGEST_TITLE = '以高质量发展推进共同现代化(和音)——始终秉持并不断发扬光大“中国—中亚精神”④';
const SIMPLIFIED = '中国与中亚国家贸易额自首届中国—中亚峰会以来增长了35%。';
const TRADITIONAL = '在歐洲，梵語的學術研究，由德國學者陸特和漢斯雷頓開創。';
const ENGLISH = 'Rail links in Central Asia.\nThe railway will link Kashgar and Andijan.\n';

const encode = (text: string, encoding: string) => new Uint8Array(iconv.encode(text, encoding));
const withBom = (bom: number[], bytes: Uint8Array) => new Uint8Array([...bom, ...bytes]);

describe('decodeText', () => {
  it('reads UTF-8, with or without a BOM (the BOM is dropped)', () => {
    expect(decodeText(encode(SIMPLIFIED, 'utf-8'))).toMatchObject({ text: SIMPLIFIED, encoding: 'utf-8', by: 'utf-8', invalid: 0 });
    expect(decodeText(withBom([0xef, 0xbb, 0xbf], encode(SIMPLIFIED, 'utf-8')))).toMatchObject({ text: SIMPLIFIED, by: 'bom' });
  });

  it('reads UTF-16 LE and BE with a BOM', () => {
    expect(decodeText(withBom([0xff, 0xfe], encode(TRADITIONAL, 'utf-16le')))).toMatchObject({ text: TRADITIONAL, encoding: 'utf-16le', by: 'bom' });
    expect(decodeText(withBom([0xfe, 0xff], encode(ENGLISH, 'utf-16be')))).toMatchObject({ text: ENGLISH, encoding: 'utf-16be', by: 'bom' });
  });

  it.each(['utf-16le', 'utf-16be'])('reads %s without a BOM: English (NUL bytes), Chinese only, and mixed', (encoding) => {
    for (const text of [ENGLISH, SIMPLIFIED, TRADITIONAL, DIGEST_TITLE, `${ENGLISH}${SIMPLIFIED}`]) {
      expect(decodeText(encode(text, encoding))).toMatchObject({ text, encoding, by: 'detected' });
    }
  });

  it('reads GBK and GB18030 simplified Chinese, the digest title and a short headline too', () => {
    for (const text of [SIMPLIFIED, DIGEST_TITLE, '共同现代化', '中国—中亚峰会']) {
      expect(decodeText(encode(text, 'gbk'))).toMatchObject({ text, encoding: 'gb18030', by: 'detected' });
    }
    const rare = `${SIMPLIFIED}“𠀀”是扩展B区的汉字，在GB18030里占四个字节。`;
    expect(decodeText(encode(rare, 'gb18030')).text).toBe(rare);
  });

  it('reads Big5 traditional Chinese, not as GBK (nearly every Big5 byte pair is valid GBK)', () => {
    for (const text of [TRADITIONAL, '梵文', '亞洲協會在加爾各答舉行', '香港特別行政區政府']) {
      expect(decodeText(encode(text, 'big5'))).toMatchObject({ text, encoding: 'big5', by: 'detected' });
    }
  });

  it('reads traditional Chinese saved as GBK as GBK', () => {
    expect(decodeText(encode(TRADITIONAL, 'gbk'))).toMatchObject({ text: TRADITIONAL, encoding: 'gb18030' });
  });

  it('reads Western European text that is not UTF-8 (windows-1252) by chardet', () => {
    const text = 'Señor Muñoz paid 5 € for crème brûlée — “quoted”.';
    expect(decodeText(encode(text, 'windows-1252')).text).toBe(text);
  });

  it('reads UTF-8 spoiled by a stray byte as UTF-8, not as windows-1252', () => {
    for (const text of [SIMPLIFIED, `${ENGLISH}${TRADITIONAL}`.repeat(20)]) {
      const decoded = decodeText(new Uint8Array([...encode(text, 'utf-8'), 0xff]));
      expect(decoded).toMatchObject({ text: `${text}\uFFFD`, encoding: 'utf-8', invalid: 1 });
    }
  });

  it('counts byte sequences that the encoding could not read', () => {
    const bytes = new Uint8Array([...encode(SIMPLIFIED.repeat(5), 'gbk'), 0xff, ...encode(SIMPLIFIED, 'gbk')]);
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe('gb18030');
    expect(decoded.invalid).toBeGreaterThan(0);
  });

  it.each([
    ['PDF', [...Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj', 'latin1')]],
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]],
    ['ZIP, DOCX or XLSX', [0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0]],
  ])('refuses a %s file as binary', (name, bytes) => {
    expect(() => decodeText(new Uint8Array(bytes))).toThrow(BinaryContentError);
    expect(() => decodeText(new Uint8Array(bytes))).toThrow(`binary content (${name}), not text`);
  });

  it('refuses bytes with NULs or many control characters that are not UTF-16 text', () => {
    // A pseudo-random byte stream, as an unknown binary format would be.
    let seed = 7;
    const random = Uint8Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) & 0xff);
    expect(() => decodeText(random)).toThrow(BinaryContentError);
    const controls = new TextEncoder().encode(`${'text with escape codes \x1b[0m\x07\x08 '.repeat(20)}`);
    expect(() => decodeText(controls)).toThrow(/binary content/);
  });

  it('keeps a text file that holds one stray control character', () => {
    const text = `${ENGLISH.repeat(5)}\x00${SIMPLIFIED}`;
    expect(decodeText(new TextEncoder().encode(text)).text).toBe(text);
  });
});

describe('decodeHtml', () => {
  const page = (charset: string) => `<!doctype html><html><head><meta charset="${charset}"><title>${TRADITIONAL}</title></head><body>梵文</body></html>`;

  it('honours <meta charset> and http-equiv', () => {
    expect(declaredHtmlCharset(encode(page('Big5'), 'big5'))).toBe('big5');
    expect(declaredHtmlCharset(encode('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', 'gbk'))).toBe('gb2312');
    expect(decodeHtml(encode(page('big5'), 'big5'))).toMatchObject({ text: page('big5'), encoding: 'big5', by: 'declared' });
  });

  it('prefers a BOM, then valid UTF-8, to the declaration', () => {
    expect(decodeHtml(withBom([0xff, 0xfe], encode(page('gbk'), 'utf-16le')))).toMatchObject({ text: page('gbk'), by: 'bom' });
    expect(decodeHtml(encode(page('gbk'), 'utf-8'))).toMatchObject({ text: page('gbk'), by: 'utf-8' });
  });
});

/**
 * Short texts are where detection fails: chardet alone calls most Chinese of under 10 characters
 * ISO-8859-1, Shift_JIS or KOI8-R, and cannot tell GBK from Big5. Paragraph openings of DRCD
 * (traditional) and CMRC 2018 (simplified), both vendored in test/fixtures, cut to 8, 16 and 64
 * characters, in each encoding.
 */
describe('decodeText on real Chinese paragraphs', () => {
  const paragraphs = (file: string): string[] =>
    readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { text: string }).text)
      .slice(0, 200);
  it.each([
    { name: 'DRCD (traditional)', file: 'drcd/drcd-trad.corpus.jsonl', encodings: ['big5', 'gbk', 'utf-16le', 'utf-16be'] },
    { name: 'CMRC 2018 (simplified)', file: 'cmrc/cmrc2018-openings.jsonl', encodings: ['gbk', 'gb18030', 'utf-16le', 'utf-16be'] },
  ])('$name: at least 98 in 100 read back exactly at 8, 16 and 64 characters', ({ file, encodings }) => {
    const texts = paragraphs(file);
    for (const encoding of encodings) {
      for (const length of [8, 16, 64]) {
        const samples = texts.map((text) => text.slice(0, length)).filter((text) => iconv.decode(iconv.encode(text, encoding), encoding) === text);
        const right = samples.filter((text) => {
          try {
            return decodeText(encode(text, encoding)).text === text;
          } catch {
            return false;
          }
        }).length;
        expect(right / samples.length, `${encoding} at ${length} characters`).toBeGreaterThanOrEqual(0.98);
      }
    }
  });
});

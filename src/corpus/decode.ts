import chardet from 'chardet';
import iconv from 'iconv-lite';

/**
 * How a file's bytes became text. `bom`: a byte order mark said so; `utf-8`: the bytes are valid
 * UTF-8; `declared`: the document named its charset (HTML); `detected`: guessed from the bytes.
 */
export type DecodedBy = 'bom' | 'utf-8' | 'declared' | 'detected';

/** A file's text and the encoding it was read in. */
export interface DecodedText {
  text: string;
  /** iconv-lite's name of the encoding, e.g. `utf-8`, `utf-16le`, `gb18030`, `big5`. */
  encoding: string;
  by: DecodedBy;
  /** Byte sequences that were not valid in that encoding (each became U+FFFD). */
  invalid: number;
}

/** The bytes are not text (a PDF, an image, an archive renamed .txt): indexing them would send garbage. */
export class BinaryContentError extends Error {
  override name = 'BinaryContentError';
}

export interface DecodeOptions {
  /** An encoding the document declares (an HTML `<meta charset>`): used unless a BOM says otherwise. */
  declared?: string | null;
}

/**
 * Turns a file's bytes into text. The order is from the most to the least certain evidence:
 * a byte order mark; valid UTF-8 (legacy Chinese text almost never is); UTF-16 without a BOM
 * (the byte order that reads as ASCII and common Chinese); the document's own declaration;
 * GB18030 or Big5, told apart by which reading gives common characters (chardet alone cannot,
 * below about a dozen characters); UTF-8 with a few bad bytes; then chardet's guess.
 * Throws BinaryContentError when the bytes are not text.
 */
export function decodeText(bytes: Uint8Array, options: DecodeOptions = {}): DecodedText {
  const bom = bomEncoding(bytes);
  if (bom) return checkedText(decodeAs(bytes.subarray(bom.length), bom.encoding), bom.encoding, 'bom');
  const signature = binarySignature(bytes);
  if (signature) throw new BinaryContentError(`binary content (${signature}), not text`);
  // Control bytes (NUL first) are in no text of a single- or multi-byte encoding: many of them
  // mean UTF-16 (ASCII in it is half NULs) or binary; valid UTF-8 can hold them, and is neither.
  const controlBytes = countControlBytes(bytes);
  const manyControlBytes = controlBytes >= bytes.length * MAX_CONTROL_SHARE;
  const utf8 = manyControlBytes ? null : decodeUtf8(bytes);
  if (utf8 !== null) return checkedText(utf8, 'utf-8', 'utf-8');
  const sample = bytes.subarray(0, DETECTION_SAMPLE_BYTES - (DETECTION_SAMPLE_BYTES % 2));
  const utf16 = utf16Encoding(sample, controlBytes > 0);
  if (utf16) return checkedText(decodeAs(bytes, utf16), utf16, 'detected');
  if (manyControlBytes) throw new BinaryContentError(`binary content (${bytes.includes(0) ? 'NUL bytes' : 'control bytes'}), not text`);
  const declared = options.declared && iconv.encodingExists(options.declared) ? options.declared.toLowerCase() : null;
  if (declared) return checkedText(decodeAs(bytes, declared), declared, 'declared');
  const encoding = detectEncoding(sample);
  return checkedText(decodeAs(bytes, encoding), encoding, 'detected');
}

/**
 * UTF-8 with a few bad bytes (a file cut or patched by hand): at least 50 well-formed non-ASCII
 * characters for each invalid sequence (a single one allowed from 4). GBK or Big5 read as UTF-8
 * gives mostly invalid sequences.
 */
function isMostlyUtf8(bytes: Uint8Array): boolean {
  const text = new TextDecoder('utf-8').decode(bytes).replace(/\uFFFD$/, ''); // the sample may end inside a character
  let invalid = 0;
  let good = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0xfffd) invalid++;
    else if (unit >= 0x80) good++;
  }
  return good >= 4 && invalid <= Math.max(1, good / 50);
}

/** Bytes that detection looks at: enough for any guess, and a large file is not read three more times. */
const DETECTION_SAMPLE_BYTES = 64 * 1024;

/** The charset an HTML document declares in its first 1,024 bytes (`<meta charset>` or `http-equiv`), if any. */
export function declaredHtmlCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  const match = /<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return match ? match[1]!.toLowerCase() : null;
}

/** Decodes an HTML file's bytes: its BOM, else valid UTF-8, else its `<meta charset>`, else detection. */
export function decodeHtml(bytes: Uint8Array): DecodedText {
  return decodeText(bytes, { declared: declaredHtmlCharset(bytes) });
}

const BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
  { bytes: [0x84, 0x31, 0x95, 0x33], encoding: 'gb18030' },
];

function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | null {
  const bom = BOMS.find((candidate) => candidate.bytes.every((byte, i) => bytes[i] === byte));
  return bom ? { encoding: bom.encoding, length: bom.bytes.length } : null;
}

/** Leading bytes of binary formats people rename or save as .txt by mistake. */
const SIGNATURES: { bytes: number[]; name: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], name: 'PDF' }, // %PDF-
  { bytes: [0x89, 0x50, 0x4e, 0x47], name: 'PNG' },
  { bytes: [0xff, 0xd8, 0xff], name: 'JPEG' },
  { bytes: [0x47, 0x49, 0x46, 0x38], name: 'GIF' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], name: 'ZIP, DOCX or XLSX' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], name: 'DOC or XLS' },
  { bytes: [0x1f, 0x8b], name: 'gzip' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], name: 'ELF executable' },
  { bytes: [0x52, 0x61, 0x72, 0x21], name: 'RAR' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], name: '7-Zip' },
];

function binarySignature(bytes: Uint8Array): string | null {
  return SIGNATURES.find((signature) => signature.bytes.every((byte, i) => bytes[i] === byte))?.name ?? null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

function decodeAs(bytes: Uint8Array, encoding: string): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), encoding, { stripBOM: false });
}

/** Control characters that text files do not hold (tab, line feed, vertical tab, form feed, carriage return they do). */
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
const CONTROL_ANY = new RegExp(CONTROL.source);
/** Share of control characters above which decoded "text" is taken for binary. */
const MAX_CONTROL_SHARE = 0.01;

function checkedText(text: string, encoding: string, by: DecodedBy): DecodedText {
  // Tested before counted: a large file is most often clean, and counting builds an array of matches.
  const controls = CONTROL_ANY.test(text) ? (text.match(CONTROL)?.length ?? 0) : 0;
  if (controls > 0 && controls >= text.length * MAX_CONTROL_SHARE) {
    throw new BinaryContentError(`binary content (${controls} control characters), not text`);
  }
  const invalid = text.includes('\uFFFD') ? (text.match(/\uFFFD/g)?.length ?? 0) : 0;
  return { text, encoding, by, invalid };
}

/** Code units (UTF-16) that text holds: any letter or symbol of the BMP but controls, surrogates and private use. */
const isLikelyUnit = (unit: number) =>
  (unit >= 0x09 && unit <= 0x0d) || (unit >= 0x20 && unit < 0x7f) || (unit >= 0xa0 && unit < 0xd800) || (unit >= 0xf900 && unit < 0xfffe);

/** C0 control bytes other than tab, line feed, vertical tab, form feed and carriage return. */
function countControlBytes(bytes: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) count++;
  }
  return count;
}

/** Fewest code units for a guess of UTF-16 without control bytes: fewer are as likely a legacy encoding. */
const MIN_UTF16_UNITS = 8;
/** Share of code units a UTF-16 reading must find likely (binary data read as UTF-16 has controls and private use). */
const MIN_UTF16_LIKELY = 0.95;

/**
 * UTF-16 without a BOM: of the two byte orders, the one whose reading is mostly ASCII and common
 * Chinese characters (read in the wrong order, ASCII becomes rare Han characters and Chinese
 * becomes random ones). With control bytes in the file (ASCII in UTF-16 has NULs) it is UTF-16 or
 * binary, so half known units suffice; without, GBK or Big5 bytes could pass for Chinese UTF-16,
 * so the reading must be as common as a right Chinese reading is.
 */
function utf16Encoding(bytes: Uint8Array, hasControlBytes: boolean): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return null;
  const units = bytes.length / 2;
  if (!hasControlBytes && units < MIN_UTF16_UNITS) return null;
  let best: { order: 'utf-16le' | 'utf-16be'; known: number } | null = null;
  for (const order of ['utf-16le', 'utf-16be'] as const) {
    let likely = 0;
    for (let i = 0; i < bytes.length; i += 2) {
      if (isLikelyUnit(order === 'utf-16le' ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!)) likely++;
    }
    if (likely < units * MIN_UTF16_LIKELY) continue;
    const known = knownShare(decodeAs(bytes, order));
    if (known > (best?.known ?? 0)) best = { order, known };
  }
  return best && best.known >= (hasControlBytes ? 0.5 : MIN_COMMON_SHARE) ? best.order : null;
}

/** Share of a text's characters that are ASCII or common Chinese characters and punctuation. */
function knownShare(text: string): number {
  let total = 0;
  let known = 0;
  for (const char of text) {
    total++;
    if (char.charCodeAt(0) < 0x7f || commonCharacters().has(char)) known++;
  }
  return total ? known / total : 0;
}

/**
 * Legacy encodings: GB18030 or Big5 when either reads the bytes as common Chinese, else UTF-8 if
 * only a few bytes spoil it, else chardet's guess (e.g. windows-1252). Big5 bytes are nearly all valid GBK and the reverse, and chardet
 * scores both alike below about a dozen characters, preferring single-byte encodings there.
 */
function detectEncoding(bytes: Uint8Array): string {
  const chinese = readAsChinese(bytes);
  if (chinese) return chinese;
  if (isMostlyUtf8(bytes)) return 'utf-8';
  // UTF-16 without a BOM was ruled out above, and UTF-32 without one is not a file people have.
  const best = chardet.analyse(bytes).find((match) => !match.name.startsWith('UTF-'));
  const name = (best?.name ?? 'utf-8').toLowerCase();
  return iconv.encodingExists(name) ? name : 'utf-8';
}

/**
 * Share of common characters above which a clean Chinese reading is taken over chardet's guess:
 * right readings score 0.9–1, wrong ones (GBK read as Big5 and back, Latin-1 read as either) far less.
 */
const MIN_COMMON_SHARE = 0.8;

/**
 * GB18030 or Big5, whichever reads the bytes with no invalid sequence and the higher share of
 * common characters; null when neither reads them as Chinese. Our documents are Chinese or
 * English, so a clean Chinese reading wins over chardet's single-byte guesses, which it prefers
 * on short text.
 */
function readAsChinese(bytes: Uint8Array): 'gb18030' | 'big5' | null {
  let best: { encoding: 'gb18030' | 'big5'; share: number } | null = null;
  for (const encoding of ['gb18030', 'big5'] as const) {
    // The sample may end inside a character.
    const text = decodeAs(bytes, encoding).replace(/\uFFFD$/, '');
    if (text.includes('\uFFFD')) continue;
    const share = commonShare(text);
    if (share >= MIN_COMMON_SHARE && share > (best?.share ?? 0)) best = { encoding, share };
  }
  return best?.encoding ?? null;
}

/** Share of a text's non-ASCII characters that are common Chinese characters or punctuation. */
function commonShare(text: string): number {
  let total = 0;
  let common = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) continue;
    total++;
    if (commonCharacters().has(char)) common++;
  }
  return total ? common / total : 0;
}

let common: Set<string> | undefined;

/**
 * The characters each standard lists as frequent: GB2312 level 1 (3,755 simplified characters),
 * Big5 level 1 (5,401 traditional), and both standards' punctuation and full-width forms.
 * Derived from iconv-lite's own tables, so no word list ships with us.
 */
function commonCharacters(): Set<string> {
  if (common) return common;
  common = new Set();
  const add = (encoding: string, leads: [number, number], trails: [number, number][]) => {
    // Every pair followed by a line feed, decoded at once (one decode a pair is 0.4 s).
    const bytes: number[] = [];
    for (let lead = leads[0]; lead <= leads[1]; lead++) {
      for (const [from, to] of trails) for (let trail = from; trail <= to; trail++) bytes.push(lead, trail, 0x0a);
    }
    for (const char of iconv.decode(Buffer.from(bytes), encoding).split('\n')) {
      if (char.length === 1 && char !== '\uFFFD') common!.add(char);
    }
  };
  add('gb18030', [0xa1, 0xa3], [[0xa1, 0xfe]]); // punctuation, full-width forms
  add('gb18030', [0xb0, 0xd7], [[0xa1, 0xfe]]); // level 1
  add('big5', [0xa1, 0xa3], [[0x40, 0x7e], [0xa1, 0xfe]]); // punctuation
  add('big5', [0xa4, 0xc6], [[0x40, 0x7e], [0xa1, 0xfe]]); // level 1 (ends at C67E; the rest of C6 is not Han)
  for (const char of [...common]) if (!/[\p{Script=Han}\p{P}\p{S}\u3000\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/u.test(char)) common.delete(char);
  return common;
}

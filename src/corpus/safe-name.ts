/**
 * File names for documents that arrive from outside (uploads): whatever a sender calls a file, the
 * name it is stored under stays inside the data folder, visible to the loader, and portable.
 */

/** Longest stored name in UTF-8 bytes: well under the 255 of common file systems, with room for a suffix. */
export const MAX_NAME_BYTES = 120;
const MAX_EXTENSION_CHARS = 16;
/** Names Windows reserves whatever the extension; prefixed so the folder can be copied there. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A safe file name for `original`: its last path segment only (no `/`, `\`, `..`), without control
 * and invisible format characters (bidi overrides that disguise an extension, zero-width spaces),
 * without characters Windows forbids, without leading dots (a hidden file is skipped by the loader)
 * or trailing dots and spaces, at most MAX_NAME_BYTES long with its extension kept (lower-cased).
 * A name with nothing left becomes `document` plus the extension.
 */
export function safeFileName(original: string): string {
  const segment = original.normalize('NFC').split(/[\\/]/).filter((part) => part.trim() !== '').pop() ?? '';
  const cleaned = segment
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 ? `.${[...cleaned.slice(dot + 1)].slice(0, MAX_EXTENSION_CHARS).join('').toLowerCase()}` : '';
  let stem = (dot > 0 ? cleaned.slice(0, dot) : cleaned).replace(/[\s.]+$/, '');
  if (stem === '') stem = 'document';
  if (RESERVED.test(stem)) stem = `_${stem}`;
  return fitName(stem, extension, MAX_NAME_BYTES);
}

/** `name` with `-n` before its extension (`report.txt` → `report-2.txt`), still within MAX_NAME_BYTES. */
export function withNumber(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return fitName(stem, `-${n}${extension}`, MAX_NAME_BYTES);
}

/** The lower-cased extension of a name, with its dot; '' when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** `stem + tail`, the stem cut at a character boundary so that the whole fits in `maxBytes` of UTF-8. */
function fitName(stem: string, tail: string, maxBytes: number): string {
  const room = maxBytes - Buffer.byteLength(tail);
  let kept = '';
  let bytes = 0;
  for (const char of stem) {
    bytes += Buffer.byteLength(char);
    if (bytes > room) break;
    kept += char;
  }
  return `${kept.replace(/[\s.]+$/, '') || 'document'}${tail}`;
}

/** U+FFFD (bytes that were not UTF-8) and control characters other than tab and line breaks. */
const UNREADABLE = /[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * How much of some text could not be decoded: binary files and text in another encoding (GBK,
 * UTF-16) read as UTF-8 come out full of replacement and control characters.
 */
export function unreadableShare(texts: Iterable<string>): { unreadable: number; total: number } {
  let unreadable = 0;
  let total = 0;
  for (const text of texts) {
    total += text.length;
    unreadable += text.match(UNREADABLE)?.length ?? 0;
  }
  return { unreadable, total };
}

import type { Segment } from '../../search/snippet.ts';

/** Telegram's limit for a message text, counted in UTF-16 code units after entity parsing. */
export const MAX_MESSAGE_CHARS = 4096;

/** The one escape helper: every piece of corpus or user text goes through it before it meets HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Highlighted segments as HTML: matched words in bold. */
export function segmentsToHtml(segments: Segment[]): string {
  return segments.map((s) => (s.match ? `<b>${escapeHtml(s.text)}</b>` : escapeHtml(s.text))).join('');
}

/** A link, only for http(s) URLs; anything else is shown as plain text. */
export function link(text: string, url: string | null): string {
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) return escapeHtml(text);
  return `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;
}

/**
 * Length of rendered HTML as Telegram counts it: tags removed, entities decoded, UTF-16 units.
 * Used to hold every message within MAX_MESSAGE_CHARS after rendering.
 */
export function visibleLength(html: string): number {
  return htmlToPlainText(html).length;
}

/** Shortens plain text to `max` characters at a word boundary where one is near, adding "…". */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** The text a reader sees of our HTML: tags dropped, entities decoded. For the plain-text resend. */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** A UTF-16 surrogate without its partner: not encodable in UTF-8, so Telegram refuses the whole call. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces every unpaired UTF-16 surrogate with U+FFFD, as a UTF-8 decoder would: a document or a
 * cut emoji with half a pair would otherwise make Telegram refuse the answer ("strings must be
 * encoded in UTF-8").
 */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Shortens our HTML (tags `<b>`, `<i>`, `<a href>`, the entities escapeHtml writes) to at most
 * `maxVisible` characters as Telegram counts them (visibleLength), ending in "…" and closing the
 * tags left open, so the result is still valid HTML. Never cuts inside a tag, an entity or a
 * surrogate pair.
 */
export function truncateHtml(html: string, maxVisible: number): string {
  if (visibleLength(html) <= maxVisible) return html;
  const open: string[] = [];
  let out = '';
  let visible = 0;
  const budget = Math.max(0, maxVisible - 1); // room for the "…"
  for (const [token] of html.matchAll(/<\/?([a-z]+)[^>]*>|&[a-z]+;|[\uD800-\uDBFF][\uDC00-\uDFFF]|[^]/gi)) {
    if (token.startsWith('<')) {
      const name = /^<\/?([a-z]+)/i.exec(token)![1]!.toLowerCase();
      if (token.startsWith('</')) open.pop();
      else open.push(name);
      out += token;
      continue;
    }
    const width = token.startsWith('&') ? 1 : token.length;
    if (visible + width > budget) break;
    out += token;
    visible += width;
  }
  return `${out}…${open.reverse().map((name) => `</${name}>`).join('')}`;
}

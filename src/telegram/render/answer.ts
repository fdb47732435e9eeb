import { sourceParts, type Answer } from '../../answer.ts';
import { titleOf } from '../../corpus/passage.ts';
import type { Passage } from '../../corpus/types.ts';
import type { Hit } from '../../search/search-index.ts';
import { cropSegments, highlight, SNIPPET_CHARS } from '../../search/snippet.ts';
import { format, type UiLang } from '../i18n.ts';
import { escapeHtml, link, MAX_MESSAGE_CHARS, segmentsToHtml, truncate, visibleLength } from './html.ts';

/** Longest title we show in a source line; user documents can have very long ones. */
const TITLE_CHARS = 120;
/** Longest url shown as a link label, and longest list of paragraph references. */
const URL_LABEL_CHARS = 60;
const REFS_CHARS = 60;
/** Longest question echoed back in "nothing found". */
const ECHO_CHARS = 200;

/** The source line of a passage: title (linked when it has a url) · publisher · date · section (¶ refs). */
export function renderSource(passage: Passage): string {
  const parts = sourceParts({ ...passage, refs: [] }).map((part) => escapeHtml(truncate(part, TITLE_CHARS)));
  const title = titleOf(passage);
  if (title && parts.length) parts[0] = link(truncate(title, TITLE_CHARS), passage.url);
  else if (passage.url) parts.push(link(truncate(passage.url, URL_LABEL_CHARS), passage.url));
  const refs = passage.refs.length ? ` (¶ ${escapeHtml(truncate(passage.refs.join(', '), REFS_CHARS))})` : '';
  return `<i>— ${parts.join(' · ')}${refs}</i>`;
}

/** One passage with its matches in bold, cropped around them, then its source line. */
export function renderHit(hit: Pick<Hit, 'passage' | 'terms'>, snippetChars = SNIPPET_CHARS): string {
  const text = segmentsToHtml(cropSegments(highlight(hit.passage.text, hit.terms), snippetChars));
  return `${text}\n${renderSource(hit.passage)}`;
}

/**
 * Renders a page of hits as one Telegram HTML message. When the passages would not fit in
 * MAX_MESSAGE_CHARS the snippets are cropped shorter, so the result always fits.
 */
export function renderAnswerHtml(answer: Answer, lang: UiLang): string {
  if (answer.hits.length === 0) {
    return format(lang, 'nothingFound', { query: escapeHtml(truncate(answer.query, ECHO_CHARS)) });
  }
  for (let snippet = SNIPPET_CHARS; ; snippet = Math.floor(snippet / 2)) {
    const html = answer.hits
      .map((hit, i) => `<b>${answer.offset + i + 1}.</b> ${renderHit(hit, snippet)}`)
      .join('\n\n');
    if (visibleLength(html) <= MAX_MESSAGE_CHARS || snippet < 20) return html;
  }
}

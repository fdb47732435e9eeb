import { createHash } from 'node:crypto';
import type { InlineQueryResultArticle } from 'grammy/types';
import { titleOf } from '../../corpus/passage.ts';
import type { Hit } from '../../search/search-index.ts';
import { MAX_MESSAGE_CHARS, truncate, visibleLength } from './html.ts';
import { renderHit } from './answer.ts';

/** Longest result title shown in the inline list. */
const INLINE_TITLE_CHARS = 80;

/** A result id that is unique per passage, stable across restarts, and far below 64 bytes. */
export function inlineResultId(passageId: string): string {
  return createHash('sha256').update(passageId).digest('base64url').slice(0, 22);
}

/**
 * Inline results for hits: title = the start of the passage, description = publisher · date; the
 * posted message is the passage with its matches in bold and its source line.
 */
export function renderInlineResults(hits: Hit[]): InlineQueryResultArticle[] {
  const seen = new Set<string>();
  const results: InlineQueryResultArticle[] = [];
  for (const hit of hits) {
    const id = inlineResultId(hit.passage.id);
    if (seen.has(id)) continue;
    seen.add(id);
    let message = renderHit(hit);
    for (let chars = 200; visibleLength(message) > MAX_MESSAGE_CHARS && chars >= 20; chars = Math.floor(chars / 2)) {
      message = renderHit(hit, chars);
    }
    const description = [hit.passage.publisher, hit.passage.date].filter(Boolean).join(' · ') || titleOf(hit.passage);
    results.push({
      type: 'article',
      id,
      title: truncate(hit.passage.text, INLINE_TITLE_CHARS),
      description: truncate(description, 200) || undefined,
      input_message_content: { message_text: message, parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
    });
  }
  return results;
}

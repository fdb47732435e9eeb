import { Composer } from 'grammy';
import { answerQuestion } from '../../answer.ts';
import type { BotContext } from '../context.ts';
import { format } from '../i18n.ts';
import { renderInlineResults } from '../render/inline.ts';

/** Inline results per page. */
export const INLINE_PAGE_SIZE = 10;
/** Seconds Telegram may cache an inline answer: short, so a changed corpus shows up soon. */
export const INLINE_CACHE_SECONDS = 60;

/**
 * Inline mode: `@bot words` lists matching passages, ten a page with `next_offset`; picking one
 * posts the passage with its source. An empty or unanswerable query offers a button to the
 * private chat instead.
 */
export function createInlineFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('inline_query', async (ctx) => {
    const started = performance.now();
    const offset = Math.max(0, Number.parseInt(ctx.inlineQuery.offset, 10) || 0);
    const answer = answerQuestion(ctx.index, ctx.inlineQuery.query, { limit: INLINE_PAGE_SIZE, offset, typing: true });
    const next = offset + answer.hits.length;
    const hint = answer.total === 0
      ? { text: format(ctx.lang, answer.query ? 'inlineNothing' : 'inlineHint'), start_parameter: 'help' }
      : undefined;
    await ctx.answerInlineQuery(renderInlineResults(answer.hits), {
      cache_time: INLINE_CACHE_SECONDS,
      // The hint is in the user's language; results are the same for everyone.
      is_personal: hint !== undefined,
      next_offset: next < answer.total ? String(next) : '',
      button: hint,
    });
    // A further page of results is not another question; an empty query is not one either.
    if (offset === 0 && answer.query) ctx.stats.countAnswer(performance.now() - started, answer.total > 0);
  });
  return composer;
}

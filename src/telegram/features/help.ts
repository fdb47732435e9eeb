import { Composer } from 'grammy';
import { examplesFor, pickExamples, type Examples } from '../../examples.ts';
import type { SearchIndex } from '../../search/search-index.ts';
import type { BotContext } from '../context.ts';
import { format, type UiLang } from '../i18n.ts';
import { escapeHtml, MAX_MESSAGE_CHARS, truncate, visibleLength } from '../render/html.ts';
import { replyWithAnswer } from './answer.ts';

/** Deep-link payloads that carry a question start with this, followed by base64url UTF-8. */
export const QUESTION_PAYLOAD_PREFIX = 'q-';

/**
 * Reads a /start payload: "help" (or none) shows the introduction; `q-<base64url>` is a
 * question; any other payload is read as words joined by "_" or "-".
 */
export function questionFromPayload(payload: string): string | null {
  if (!payload || payload === 'help') return null;
  if (payload.startsWith(QUESTION_PAYLOAD_PREFIX)) {
    const text = Buffer.from(payload.slice(QUESTION_PAYLOAD_PREFIX.length), 'base64url').toString('utf8');
    return text.includes('\uFFFD') ? null : text.trim() || null;
  }
  return payload.replace(/[_-]+/g, ' ').trim() || null;
}

/** Deep link payload for a question (Telegram allows 64 characters of [A-Za-z0-9_-]). */
export function payloadForQuestion(question: string): string | null {
  const payload = QUESTION_PAYLOAD_PREFIX + Buffer.from(question, 'utf8').toString('base64url');
  return payload.length <= 64 ? payload : null;
}

/** Longest example shown in /help. */
const EXAMPLE_CHARS = 60;

/** The "How to use me" text, with example lookups from the corpus in the user's language where it has some. */
export function renderHelp(lang: UiLang, bot: string, examples: Examples): string {
  const shown = examplesFor(examples, lang).map((example) => `<i>${escapeHtml(truncate(example, EXAMPLE_CHARS))}</i>`);
  const list = shown.length ? format(lang, 'helpExamples', { examples: shown.join(format(lang, 'helpExamplesOr')) }) : '';
  return format(lang, 'help', { bot, examples: list });
}

/** /start (with an optional question as deep-link payload), /help and /sources. */
export function createHelpFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  // Examples belong to the index they were taken from: picked at the first /start or /help after
  // start-up or a /reload (a new index), then reused; the old index's are dropped with it.
  const examples = new WeakMap<SearchIndex, Examples>();
  const examplesOf = (index: SearchIndex) => {
    let picked = examples.get(index);
    if (!picked) examples.set(index, (picked = pickExamples(index)));
    return picked;
  };
  const help = (ctx: BotContext) => renderHelp(ctx.lang, ctx.me.username, examplesOf(ctx.index));

  composer.command('start', async (ctx) => {
    // In a group a bare /start reaches every bot there; only answer one addressed to this bot.
    const addressed = ctx.chat.type === 'private' || ctx.msg?.text?.split(/\s/)[0]?.includes('@');
    if (!addressed) return;
    const question = questionFromPayload(ctx.match);
    if (question && ctx.message) {
      await replyWithAnswer(ctx, question, ctx.message);
      return;
    }
    const topic = ctx.corpus.documents.find((d) => d.topic)?.topic;
    const corpus = topic ? `«${escapeHtml(topic)}»` : ctx.lang === 'zh' ? '文档' : 'my documents';
    await ctx.reply(`${format(ctx.lang, 'start', { corpus })}\n\n${help(ctx)}`, {
      parse_mode: 'HTML',
    });
  });

  composer.command('help', (ctx) => ctx.reply(help(ctx), { parse_mode: 'HTML' }));

  composer.command('sources', async (ctx) => {
    const { documents, passages } = ctx.corpus;
    const header = format(ctx.lang, 'sourcesHeader', { documents: documents.length, passages: passages.length });
    const lines: string[] = [];
    let length = visibleLength(header) + 50;
    for (const [i, doc] of documents.entries()) {
      const meta = [doc.publisher, doc.date].filter(Boolean).map((s) => escapeHtml(s!)).join(' · ');
      const line = `• ${escapeHtml(truncate(doc.title ?? doc.file, 120))}${meta ? ` — ${meta}` : ''} — ${doc.passages.length} ${format(ctx.lang, 'passages')}`;
      if (length + visibleLength(line) + 1 > MAX_MESSAGE_CHARS) {
        lines.push(format(ctx.lang, 'sourcesMore', { count: documents.length - i }));
        break;
      }
      lines.push(line);
      length += visibleLength(line) + 1;
    }
    await ctx.reply([header, ...lines].join('\n'), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  });
  return composer;
}

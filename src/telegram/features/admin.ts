import { Composer } from 'grammy';
import type { BotContext, IndexHolder } from '../context.ts';
import { format } from '../i18n.ts';
import { ADMIN_COMMANDS, setAdminMenu } from '../menus.ts';
import type { Reindexer, ReindexOutcome } from '../reindex.ts';
import { escapeHtml, truncate } from '../render/html.ts';
import { renderStatsHtml } from '../render/stats.ts';
import type { BotStats } from '../stats.ts';

export interface AdminOptions {
  /** ADMIN_IDS: the users who may use the admin commands. */
  adminIds: ReadonlySet<number>;
  holder: IndexHolder;
  stats: BotStats;
  /** Re-reads the data folder, one reindex at a time (shared with uploads). */
  reindexer: Reindexer;
}

/**
 * /stats and /reload for the users in ADMIN_IDS, in their private chats. /reload builds the new
 * index aside (on a worker thread: the bot keeps answering) and swaps it in only once it loaded,
 * then reports to the admin; a failed reload leaves the bot answering from the old one and says why. For anyone else, and in groups, the commands do not exist:
 * no reply. An admin's first private message in a process also sets their command menu, in case
 * their chat did not exist when the bot started.
 */
export function createAdminFeature(options: AdminOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const menusSet = new Set<number>();

  const isAdmin = (ctx: BotContext) => ctx.chat?.type === 'private' && ctx.from !== undefined && options.adminIds.has(ctx.from.id);

  composer.use(async (ctx, next) => {
    if (isAdmin(ctx) && !menusSet.has(ctx.from!.id)) {
      menusSet.add(ctx.from!.id);
      await setAdminMenu(ctx.api, ctx.from!.id).catch((error: unknown) =>
        ctx.logger.warn({ user: ctx.from!.id, error: (error as Error).message }, 'admin command menu not set'),
      );
    }
    return next();
  });

  composer.command([...ADMIN_COMMANDS], (ctx, next) => {
    if (isAdmin(ctx)) return next();
    ctx.logger.debug({ user: ctx.from?.id, chat: ctx.chat.id }, 'admin command from a non-admin or outside a private chat ignored');
  });

  composer.command('stats', (ctx) =>
    ctx.reply(renderStatsHtml(options.stats.snapshot(), options.holder.current, ctx.lang), { parse_mode: 'HTML' }),
  );

  composer.command('reload', async (ctx) => {
    if (options.reindexer.busy) {
      await ctx.reply(format(ctx.lang, 'reloadBusy'));
      return;
    }
    // Started before replying, so a second /reload meanwhile finds the reindexer busy.
    const reloading = options.reindexer.run();
    await ctx.reply(format(ctx.lang, 'reloadStarted'));
    // Not awaited: a reload of a large corpus takes minutes, and the next batch of updates is asked
    // for only when this one is handled. The result goes to the admin's chat when it is ready.
    void reloading.then(({ outcome }) => report(ctx, outcome!));
  });

  async function report(ctx: BotContext, outcome: ReindexOutcome): Promise<void> {
    const chatId = ctx.chat!.id;
    const { before } = outcome;
    const report = outcome.ok
      ? format(ctx.lang, 'reloadDone', {
          ms: Math.round(outcome.loaded.loadMs),
          documents: outcome.loaded.corpus.documents.length,
          passages: outcome.loaded.corpus.passages.length,
          oldDocuments: before.corpus.documents.length,
          oldPassages: before.corpus.passages.length,
        })
      : format(ctx.lang, 'reloadFailed', {
          documents: before.corpus.documents.length,
          passages: before.corpus.passages.length,
          reason: escapeHtml(truncate(outcome.reason, 1000)),
        });
    await ctx.api
      .sendMessage(chatId, report, { parse_mode: 'HTML' })
      .catch((error: unknown) => ctx.logger.warn({ chat: chatId, error: (error as Error).message }, 'reload report not sent'));
  }
  return composer;
}

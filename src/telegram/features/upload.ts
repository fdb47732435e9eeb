import { Composer, GrammyError } from 'grammy';
import type { Document as TelegramDocument } from 'grammy/types';
import { addDocument, removeDocument, type AddedDocument } from '../../corpus/add-document.ts';
import { READ_EXTENSIONS } from '../../corpus/load.ts';
import { extensionOf, safeFileName } from '../../corpus/safe-name.ts';
import type { BotContext } from '../context.ts';
import { DownloadError, MAX_DOWNLOAD_BYTES } from '../download.ts';
import { format, type StringKey } from '../i18n.ts';
import type { Reindexer, ReindexOutcome } from '../reindex.ts';
import { escapeHtml, truncate } from '../render/html.ts';
import { fileInIndex, uploadReportHtml, warningLines } from '../render/upload.ts';

export interface UploadOptions {
  /** ADMIN_IDS: the users whose documents are added. */
  adminIds: ReadonlySet<number>;
  /** DATA_DIR: where added documents are stored. */
  dataDir: string;
  /** Re-reads the data folder once a document is in place (the /reload path). */
  reindexer: Reindexer;
  /** Downloads a file getFile prepared (its `file_path`). */
  download: (filePath: string) => Promise<Buffer>;
}

/** From this share of undecodable characters on, a file is taken for binary or wrongly encoded and not kept. */
export const GARBLED_SHARE = 0.1;

/**
 * Documents sent to the bot in a private chat. An admin's is checked (a kind the corpus reads, at
 * most 20 MB), downloaded, stored in the data folder under a safe name that never replaces another
 * file, and indexed through the same reindex as /reload; the admin is told what was read from it.
 * A file nothing could be read from, or that is binary or garbled, is not kept. Anyone else's
 * document is not downloaded: they are told only admins add documents. In groups, documents get
 * no reply.
 */
export function createUploadFeature(options: UploadOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const chat = composer.chatType('private').on('message:document');

  chat.use(async (ctx) => {
    const document = ctx.message.document;
    const reply = (key: StringKey, values: Record<string, string | number> = {}) =>
      ctx.reply(format(ctx.lang, key, values), {
        parse_mode: 'HTML',
        reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true },
      });
    if (!options.adminIds.has(ctx.from.id)) {
      ctx.logger.info({ user: ctx.from.id }, 'document from a non-admin not downloaded');
      await reply('uploadAdminsOnly');
      return;
    }
    const wanted = safeFileName(document.file_name ?? '');
    // The name as sent, for the replies that refuse it: without invisible characters, and short.
    const shown = escapeHtml(truncate((document.file_name ?? wanted).replace(/[\p{Cc}\p{Cf}]/gu, ''), 100));
    if (!READ_EXTENSIONS.includes(extensionOf(wanted))) {
      await reply('uploadUnknownKind', { name: shown, extensions: READ_EXTENSIONS.join(', ') });
      return;
    }
    const tooBig = () => reply('uploadTooBig', { name: shown, size: megabytes(document.file_size) });
    if (document.file_size !== undefined && document.file_size > MAX_DOWNLOAD_BYTES) {
      await tooBig();
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await fetchDocument(ctx, document);
    } catch (error) {
      if (isTooBig(error)) return void (await tooBig());
      if (!(error instanceof DownloadError) && !(error instanceof GrammyError)) throw error;
      ctx.logger.warn({ file: wanted, error: error.message }, 'document not downloaded');
      await reply('uploadFailed', { name: shown, reason: escapeHtml(error.message) });
      return;
    }
    const queued = options.reindexer.busy;
    // Started before replying: a /reload meanwhile finds the reindexer busy.
    const indexing = options.reindexer.run(async () => {
      const added = await addDocument(options.dataDir, wanted, bytes);
      return { result: added, changed: added.status !== 'unchanged' };
    });
    await reply(queued ? 'uploadQueued' : 'uploadStarted', { name: escapeHtml(wanted) });
    // Not awaited, like /reload: indexing a large folder takes minutes. The report follows.
    void indexing
      .then(({ result, outcome }) => report(ctx, wanted, result, outcome))
      .catch((error: unknown) => {
        ctx.logger.warn({ file: wanted, error: (error as Error).message }, 'document not added');
        return send(ctx, 'uploadFailed', { name: escapeHtml(wanted), reason: escapeHtml(truncate((error as Error).message, 500)) });
      });
  });

  /** getFile, then the download; throws GrammyError (getFile refused) or DownloadError. */
  async function fetchDocument(ctx: BotContext, document: TelegramDocument): Promise<Buffer> {
    const file = await ctx.api.getFile(document.file_id);
    if (!file.file_path) throw new DownloadError('Telegram gave no file path for it');
    return options.download(file.file_path);
  }

  /** Tells the admin what the index now holds from the file, or why it is not kept. */
  async function report(ctx: BotContext, wanted: string, added: AddedDocument, outcome: ReindexOutcome | null): Promise<void> {
    const name = escapeHtml(added.name);
    if (added.status === 'unchanged' || !outcome) return send(ctx, 'uploadUnchanged', { name });
    if (!outcome.ok) return send(ctx, 'uploadReloadFailed', { name, reason: escapeHtml(truncate(outcome.reason, 1000)) });
    const found = fileInIndex(outcome.loaded.corpus, added.name);
    ctx.logger.info({ file: added.name, status: added.status, passages: found.passages, warnings: found.warnings.length }, 'document added');
    if (found.passages === 0 && found.warnings.length > 0) {
      // Nothing of it is indexed: removing it changes no answer, so no reindex is needed.
      await removeDocument(options.dataDir, added.name);
      return send(ctx, 'uploadNothingRead', { name }, warningLines(found.warnings));
    }
    if (found.characters > 0 && found.unreadable / found.characters >= GARBLED_SHARE) {
      // Its passages are in the index now: out they go, through another reindex.
      await options.reindexer.run(async () => ({ result: await removeDocument(options.dataDir, added.name), changed: true }));
      return send(ctx, 'uploadGarbled', { name, percent: Math.round((100 * found.unreadable) / found.characters) });
    }
    const { documents, passages } = outcome.loaded.corpus;
    const html = uploadReportHtml(ctx.lang, { name: added.name, wanted, renamed: added.status === 'renamed', found, documents: documents.length, total: passages.length });
    await sendHtml(ctx, html);
  }

  async function send(ctx: BotContext, key: StringKey, values: Record<string, string | number>, extra: string[] = []): Promise<void> {
    await sendHtml(ctx, [format(ctx.lang, key, values), ...extra].join('\n'));
  }

  async function sendHtml(ctx: BotContext, html: string): Promise<void> {
    const chatId = ctx.chat!.id;
    await ctx.api
      .sendMessage(chatId, html, { parse_mode: 'HTML', reply_parameters: { message_id: ctx.message!.message_id, allow_sending_without_reply: true } })
      .catch((error: unknown) => ctx.logger.warn({ chat: chatId, error: (error as Error).message }, 'upload report not sent'));
  }
  return composer;
}

/** getFile's "file is too big" (a document without file_size), or a download beyond 20 MB. */
function isTooBig(error: unknown): boolean {
  return (error instanceof GrammyError && /file is too big/i.test(error.description)) || (error instanceof DownloadError && error.tooBig);
}

/** Bytes as megabytes, rounded up to one decimal (20 MB and a byte is 20.1); "> 20" when Telegram did not say. */
function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? '> 20' : (Math.ceil(bytes / 1024 / 1024 * 10) / 10).toFixed(1);
}

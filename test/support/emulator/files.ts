/**
 * Files users send (documents), as the Bot API serves them: `getFile` hands out a `file_path`,
 * and `GET /file/bot<token>/<file_path>` serves the bytes for an hour.
 */
import { createHash } from 'node:crypto';
import { badRequest } from './errors.ts';

/** Largest file a bot may download through the Bot API (getFile: "up to 20MB"). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
/** How long a download link stays valid ("at least 1 hour"). */
export const FILE_LINK_TTL_MS = 60 * 60 * 1000;

/** A file Telegram holds for the bot. */
interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  bytes: Buffer;
  /** What getFile puts in `file_path` (`documents/file_0.txt`), set at the first getFile. */
  path?: string;
  /** When getFile last issued the path, ms since the epoch. */
  issuedAt?: number;
  extension: string;
}

/** One attempt to download `GET /file/bot<token>/<path>`, as served. */
export interface FileDownload {
  path: string;
  status: number;
  /** Bytes served (0 for a refusal). */
  bytes: number;
  at: number;
}

/** The Bot API `File` object getFile returns. */
export interface FileObject {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
}

export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private counter = 0;
  /** Every download attempt, in order, for tests ("nothing was downloaded"). */
  readonly downloads: FileDownload[] = [];

  constructor(private readonly botId: number) {}

  /**
   * Stores a file a user sent; returns ids shaped like Telegram's (`BQAC…` for a document, a
   * 16-character unique id), deterministic per bot and upload.
   */
  add(bytes: Buffer, fileName: string | undefined): { file_id: string; file_unique_id: string } {
    const n = this.counter++;
    const digest = createHash('sha256').update(`${this.botId}:${n}:`).update(bytes).digest();
    const fileId = `BQACAgIAAxkBAA${digest.subarray(0, 36).toString('base64url')}`;
    const fileUniqueId = `AgAD${digest.subarray(23, 32).toString('base64url')}`;
    const extension = /\.([A-Za-z0-9]{1,10})$/.exec(fileName ?? '')?.[1]?.toLowerCase() ?? '';
    this.byId.set(fileId, { fileId, fileUniqueId, bytes, extension });
    return { file_id: fileId, file_unique_id: fileUniqueId };
  }

  /** getFile: "file is too big" above 20 MB, "invalid file_id" for an id the bot never received. */
  getFile(fileId: string, nowMs: number): FileObject {
    const file = this.byId.get(fileId);
    if (!file) throw badRequest('invalid file_id');
    if (file.bytes.length > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
    if (!file.path) {
      file.path = `documents/file_${this.byPath.size}${file.extension ? `.${file.extension}` : ''}`;
      this.byPath.set(file.path, file);
    }
    file.issuedAt = nowMs;
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, file_path: file.path };
  }

  /** The bytes behind a download path, or undefined (unknown path, or its link expired); logged either way. */
  download(path: string, nowMs: number): Buffer | undefined {
    const file = this.byPath.get(path);
    const valid = file?.issuedAt !== undefined && nowMs - file.issuedAt <= FILE_LINK_TTL_MS;
    this.downloads.push({ path, status: valid ? 200 : 404, bytes: valid ? file!.bytes.length : 0, at: nowMs });
    return valid ? file!.bytes : undefined;
  }
}

/** Bytes a file download may hold: the Bot API serves bots files of up to 20 MB. */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
/** A download that takes longer is abandoned (20 MB at a slow 1 Mbit/s takes under 3 minutes). */
const DOWNLOAD_TIMEOUT_MS = 180_000;

/** A download that failed; its message never holds the URL (which carries the bot's token). */
export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(message: string, readonly tooBig = false) {
    super(message);
  }
}

/**
 * Downloads a file the Bot API prepared with getFile: `GET {apiRoot}/file/bot<token>/<file_path>`
 * (the URL the Bot API documents, also on a self-hosted server), refusing a non-200 answer and
 * stopping as soon as more than `maxBytes` arrive.
 */
export async function downloadFile(apiRoot: string, token: string, filePath: string, maxBytes = MAX_DOWNLOAD_BYTES): Promise<Buffer> {
  const url = `${apiRoot}/file/bot${token}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw new DownloadError(`download failed: ${(error as Error).name === 'TimeoutError' ? 'timed out' : 'network error'}`);
  }
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    throw new DownloadError(`download failed: HTTP ${response.status}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Leaving the loop early cancels the rest of the body.
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > maxBytes) break;
      chunks.push(chunk);
    }
  } catch (error) {
    throw new DownloadError(`download failed: ${(error as Error).name === 'TimeoutError' ? 'timed out' : 'connection lost'}`);
  }
  if (size > maxBytes) throw new DownloadError(`the file is larger than ${maxBytes} bytes`, true);
  return Buffer.concat(chunks);
}

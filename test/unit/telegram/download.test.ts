import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, downloadFile } from '../../../src/telegram/download.ts';

const TOKEN = '7000000001:AAH-secret-token';
let server: Server;
let root: string;
const requested: string[] = [];

beforeEach(async () => {
  requested.length = 0;
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (req.url?.endsWith('/big.txt')) return void res.end(Buffer.alloc(5000, 'b'));
    if (req.url?.endsWith('/small.txt')) return void res.end('small');
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"ok":false,"error_code":404,"description":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('downloadFile', () => {
  it('fetches {apiRoot}/file/bot<token>/<file_path>, with each path segment encoded', async () => {
    expect((await downloadFile(root, TOKEN, 'documents/small.txt')).toString()).toBe('small');
    await downloadFile(root, TOKEN, 'documents/a b#.txt').catch(() => undefined);
    expect(requested).toEqual([`/file/bot${TOKEN}/documents/small.txt`, `/file/bot${TOKEN}/documents/a%20b%23.txt`]);
  });

  it('refuses a non-200 answer without naming the URL (it holds the token)', async () => {
    const error = await downloadFile(root, TOKEN, 'documents/missing.txt').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toBe('download failed: HTTP 404');
  });

  it('stops reading beyond the limit, whatever the file claimed to weigh', async () => {
    const error = await downloadFile(root, TOKEN, 'documents/big.txt', 1000).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DownloadError', tooBig: true });
    expect((await downloadFile(root, TOKEN, 'documents/big.txt', 5000)).length).toBe(5000);
  });

  it('reports an unreachable server as a network error', async () => {
    const error = await downloadFile('http://127.0.0.1:9', TOKEN, 'documents/small.txt').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DownloadError', message: 'download failed: network error' });
  });
});

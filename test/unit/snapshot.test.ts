/** Index snapshots that are damaged, inconsistent or not files at all: start-up warns and rebuilds. */
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize, deserialize } from 'node:v8';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { SNAPSHOT_HEADER_BYTES, snapshotHeader, snapshotPayload } from '../../src/search/snapshot-frame.ts';
import { openIndex, STALE_TEMPORARY_MS } from '../../src/startup.ts';

const silent = createLogger('silent');
const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A data folder, a cache folder holding its snapshot, and the snapshot's path. */
async function withSnapshot() {
  const data = await mkdtemp(join(tmpdir(), 'citebot-data-'));
  const cache = await mkdtemp(join(tmpdir(), 'citebot-cache-'));
  made.push(data, cache);
  await writeFile(join(data, 'rail.md'), '# Rail\n\nThe railway links Kashgar and Andijan.\n\nA second paragraph about trade.\n');
  const built = await openIndex(data, silent, { cacheDir: cache });
  const names = (await readdir(cache)).filter((f) => f.endsWith('.v8'));
  expect(names).toHaveLength(1);
  return { data, cache, file: join(cache, names[0]!), built };
}

/** Opens the index, recording what it logged. */
async function openRecording(data: string, cache: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const opened = await openIndex(data, logger, { cacheDir: cache });
  return { opened, lines, snapshot: lines.find((l) => l.msg === 'corpus loaded')?.snapshot, warned: lines.filter((l) => l.level === 40) };
}

const hits = (index: Awaited<ReturnType<typeof openIndex>>['index']) => index.search('railway').map((h) => [h.passage.id, h.score]);

describe('the snapshot frame', () => {
  it('gives back the payload it framed, and names what is wrong with damaged bytes', () => {
    const payload = Buffer.from(serialize({ any: 'thing', n: [1, 2, 3] }));
    const file = Buffer.concat([snapshotHeader(payload), payload]);
    expect(file.length).toBe(SNAPSHOT_HEADER_BYTES + payload.length);
    const ok = snapshotPayload(file);
    expect('payload' in ok && deserialize(ok.payload)).toEqual({ any: 'thing', n: [1, 2, 3] });

    expect(snapshotPayload(file.subarray(0, file.length - 1))).toEqual({ problem: expect.stringMatching(/announces/) });
    expect(snapshotPayload(Buffer.concat([file, Buffer.from([0])]))).toEqual({ problem: expect.stringMatching(/announces/) });
    const flipped = Buffer.from(file);
    flipped[SNAPSHOT_HEADER_BYTES + 3]! ^= 0x01;
    expect(snapshotPayload(flipped)).toEqual({ problem: 'checksum mismatch' });
    expect(snapshotPayload(payload)).toEqual({ problem: expect.stringMatching(/no header/) });
    expect(snapshotPayload(Buffer.alloc(0))).toEqual({ problem: expect.stringMatching(/no header/) });
  });
});

describe('start-up over a bad snapshot', () => {
  it('a snapshot cut short: warns, rebuilds, answers the same, and writes a good one', async () => {
    const { data, cache, file, built } = await withSnapshot();
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const { opened, snapshot, warned } = await openRecording(data, cache);
    expect(warned).toEqual([expect.objectContaining({ msg: 'index snapshot unreadable; rebuilding', file })]);
    expect(snapshot).toBe('written');
    expect(hits(opened.index)).toEqual(hits(built.index));
    expect((await openRecording(data, cache)).snapshot).toBe('loaded');
  });

  it('bytes changed inside (the postings, where deserializing still succeeds): the checksum catches it', async () => {
    const { data, cache, file, built } = await withSnapshot();
    const bytes = await readFile(file);
    // The last bytes are the sentence and posting arrays: any value deserializes.
    for (let i = bytes.length - 40; i < bytes.length - 8; i++) bytes[i] = 0xff;
    await writeFile(file, bytes);
    const { opened, snapshot, warned } = await openRecording(data, cache);
    expect(warned).toEqual([expect.objectContaining({ reason: 'checksum mismatch' })]);
    expect(snapshot).toBe('written');
    expect(hits(opened.index)).toEqual(hits(built.index));
  });

  it('a well-formed snapshot whose index does not fit its passages: warns and rebuilds instead of failing', async () => {
    const { data, cache, file, built } = await withSnapshot();
    const framed = snapshotPayload(await readFile(file));
    if (!('payload' in framed)) throw new Error(framed.problem);
    const snapshot = deserialize(framed.payload) as { index: { documentCount: number } };
    snapshot.index.documentCount += 1;
    const payload = Buffer.from(serialize(snapshot));
    await writeFile(file, Buffer.concat([snapshotHeader(payload), payload]));
    const { opened, warned } = await openRecording(data, cache);
    expect(warned).toEqual([expect.objectContaining({ reason: 'index snapshot does not match the passages' })]);
    expect(hits(opened.index)).toEqual(hits(built.index));
  });

  it('a well-formed snapshot of something else under the name: warns and rebuilds', async () => {
    const { data, cache, file, built } = await withSnapshot();
    const payload = Buffer.from(serialize({ key: 'another', corpus: null }));
    await writeFile(file, Buffer.concat([snapshotHeader(payload), payload]));
    const { opened, warned } = await openRecording(data, cache);
    expect(warned).toEqual([expect.objectContaining({ reason: 'contents are not the snapshot of these documents' })]);
    expect(hits(opened.index)).toEqual(hits(built.index));
  });

  it('a FIFO at the snapshot path does not hang start-up: warns, rebuilds, and the next start loads', async () => {
    const { data, cache, file, built } = await withSnapshot();
    await rm(file);
    execFileSync('mkfifo', [file]);
    const { opened, snapshot, warned } = await openRecording(data, cache);
    expect(warned).toEqual([expect.objectContaining({ reason: 'not a regular file but a FIFO' })]);
    expect(snapshot).toBe('written');
    expect(hits(opened.index)).toEqual(hits(built.index));
    expect((await stat(file)).isFile()).toBe(true);
    expect((await openRecording(data, cache)).snapshot).toBe('loaded');
  });

  it('a directory at the snapshot path: warns, rebuilds, and answers', async () => {
    const { data, cache, file, built } = await withSnapshot();
    await rm(file);
    await mkdir(join(file, 'inside'), { recursive: true });
    const { opened, warned } = await openRecording(data, cache);
    expect(warned).toContainEqual(expect.objectContaining({ msg: 'index snapshot unreadable; rebuilding', reason: 'not a regular file but a directory' }));
    expect(hits(opened.index)).toEqual(hits(built.index));
    // The new snapshot could not take the directory's place: its temporary file is gone too.
    expect(warned).toContainEqual(expect.objectContaining({ msg: 'index snapshot not written' }));
    expect((await readdir(cache)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a symbolic link (here to a device) at the snapshot path is not followed: warns, rebuilds, and the next start loads', async () => {
    const { data, cache, file, built } = await withSnapshot();
    await rm(file);
    await symlink('/dev/zero', file);
    const { opened, warned } = await openRecording(data, cache);
    expect(warned).toEqual([expect.objectContaining({ reason: 'not a regular file but a symbolic link' })]);
    expect(hits(opened.index)).toEqual(hits(built.index));
    expect((await lstat(file)).isFile()).toBe(true);
    expect((await openRecording(data, cache)).snapshot).toBe('loaded');
  });

  it('removes half-written snapshots a crash left behind, but not one still being written', async () => {
    const { data, cache, file } = await withSnapshot();
    const stale = `${file}.0badc0de.tmp`;
    const fresh = `${file}.1badc0de.tmp`;
    await writeFile(stale, 'half a snapshot');
    await writeFile(fresh, 'a snapshot being written');
    const old = new Date(Date.now() - STALE_TEMPORARY_MS - 60_000);
    await utimes(stale, old, old);
    const { snapshot, lines } = await openRecording(data, cache);
    expect(snapshot).toBe('loaded');
    const names = await readdir(cache);
    expect(names).not.toContain(stale.slice(cache.length + 1));
    expect(names).toContain(fresh.slice(cache.length + 1));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'removed a half-written index snapshot', file: stale }));
  });
});

import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import type { Document, Passage } from '../../src/corpus/types.ts';
import { READ_EXTENSIONS } from '../../src/corpus/load.ts';
import { documentSlices, openIndex, openIndexInWorker, PASSAGES_PER_MESSAGE, receiveSlice, snapshotKey } from '../../src/startup.ts';

const silent = createLogger('silent');
const FIXTURES = fileURLToPath(new URL('../fixtures/documents', import.meta.url));
const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function folders() {
  const data = await mkdtemp(join(tmpdir(), 'citebot-data-'));
  const cache = await mkdtemp(join(tmpdir(), 'citebot-cache-'));
  made.push(data, cache);
  await writeFile(join(data, 'rail.md'), '# Rail\n\nThe railway links Kashgar and Andijan.\n\nA second paragraph about trade.\n');
  return { data, cache };
}

describe('openIndex with a snapshot folder', () => {
  it('writes a snapshot, then answers the same from it', async () => {
    const { data, cache } = await folders();
    const built = await openIndex(data, silent, { cacheDir: cache });
    expect((await readdir(cache)).filter((f) => f.endsWith('.v8'))).toHaveLength(1);
    const restored = await openIndex(data, silent, { cacheDir: cache });
    expect(restored.corpus.passages).toEqual(built.corpus.passages);
    const ids = (i: typeof built) => i.index.search('railway').map((h) => [h.passage.id, h.score]);
    expect(ids(restored)).toEqual(ids(built));
  });

  it('rebuilds when a document changes, and keeps only the newest snapshot', async () => {
    const { data, cache } = await folders();
    await openIndex(data, silent, { cacheDir: cache });
    await writeFile(join(data, 'pipe.txt'), 'The gas pipeline crosses Uzbekistan.');
    const changed = await openIndex(data, silent, { cacheDir: cache });
    expect(changed.index.search('pipeline').map((h) => h.passage.file)).toEqual(['pipe.txt']);
    expect((await readdir(cache)).filter((f) => f.endsWith('.v8'))).toHaveLength(1);
  });

  it('keeps one snapshot per data folder, so indexing another folder does not evict this one', async () => {
    const { data, cache } = await folders();
    await openIndex(data, silent, { cacheDir: cache });
    const [mine] = await readdir(cache);
    const other = await mkdtemp(join(tmpdir(), 'citebot-other-'));
    made.push(other);
    await writeFile(join(other, 'other.txt'), 'Another folder about solar power.');
    await openIndex(other, silent, { cacheDir: cache });
    expect(await readdir(cache)).toHaveLength(2);
    const logged: string[] = [];
    const recording = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
    await openIndex(data, recording, { cacheDir: cache });
    expect(logged.join('')).toContain('"snapshot":"loaded"');
    expect(await readdir(cache)).toContain(mine);
  });

  it('indexes on a worker thread to the same corpus and answers, aliases included', async () => {
    const { data, cache } = await folders();
    await writeFile(join(data, 'aliases.txt'), '阿拉木图 = Almaty\n');
    await writeFile(join(data, 'city.txt'), 'Almaty hosted the trade forum.');
    const here = await openIndex(data, silent, { cacheDir: null });
    const there = await openIndexInWorker(data, silent, { cacheDir: cache });
    expect(there.corpus).toEqual(here.corpus);
    expect(there.aliasGroups).toEqual(here.aliasGroups);
    for (const query of ['railway', '阿拉木图', 'trade forum']) {
      expect(there.index.search(query).map((h) => [h.passage.id, h.score])).toEqual(here.index.search(query).map((h) => [h.passage.id, h.score]));
    }
    expect((await readdir(cache)).filter((f) => f.endsWith('.v8'))).toHaveLength(1);
  });

  it('reads PDF, DOCX and HTML documents (async readers) on the worker thread and from the snapshot alike', async () => {
    const { data, cache } = await folders();
    for (const name of ['dry-ports-report.pdf', 'rail-notes-zh.docx', 'caspian-ferries.html']) await copyFile(join(FIXTURES, name), join(data, name));
    const built = await openIndex(data, silent, { cacheDir: cache });
    const restored = await openIndex(data, silent, { cacheDir: cache });
    const there = await openIndexInWorker(data, silent, { cacheDir: null });
    expect(built.corpus.documents.map((d) => d.file)).toEqual(['caspian-ferries.html', 'dry-ports-report.pdf', 'rail-notes-zh.docx', 'rail.md']);
    expect(restored.corpus).toEqual(built.corpus);
    expect(there.corpus).toEqual(built.corpus);
    for (const opened of [built, restored, there]) {
      expect(opened.index.search('Khorgos containers 2024')[0]?.passage).toMatchObject({ file: 'dry-ports-report.pdf', section: 'Khorgos Gateway › p. 2' });
    }
  });

  it('keys a snapshot by the kinds of file read too, so one made before the PDF reader does not hide a folder\'s PDFs', async () => {
    const { data } = await folders();
    await copyFile(join(FIXTURES, 'dry-ports-report.pdf'), join(data, 'report.pdf'));
    const before = await snapshotKey(data, ['.txt', '.md', '.markdown', '.jsonl']);
    expect(await snapshotKey(data)).not.toBe(before);
    expect(await snapshotKey(data)).toBe(await snapshotKey(data, [...READ_EXTENSIONS].reverse()));
  });

  it('hands back a corpus of several messages whole and in order, a document larger than a message included', async () => {
    const { data, cache } = await folders();
    // A document of 1.5 messages' worth of paragraphs, then as many one-passage records.
    const paragraphs = Array.from({ length: 1.5 * PASSAGES_PER_MESSAGE }, (_, i) => `Depot ${i} serves line ${i % 5}.`);
    await writeFile(join(data, 'depots.md'), `# Depots\n\n${paragraphs.join('\n\n')}\n`);
    const lines = Array.from({ length: 1.5 * PASSAGES_PER_MESSAGE }, (_, i) =>
      JSON.stringify({ id: `p${i}`, title: `Report ${i}`, text: `Station ${i} opened on line ${i % 7}.` }),
    );
    await writeFile(join(data, 'stations.jsonl'), `${lines.join('\n')}\n`);
    const here = await openIndex(data, silent, { cacheDir: null });
    const there = await openIndexInWorker(data, silent, { cacheDir: cache });
    expect(Math.max(...here.corpus.documents.map((d) => d.passages.length))).toBeGreaterThan(PASSAGES_PER_MESSAGE);
    expect(there.corpus.passages.length).toBeGreaterThan(3 * PASSAGES_PER_MESSAGE);
    expect(there.corpus).toEqual(here.corpus);
    for (const query of ['station 7499', 'depot 7000', 'line 3', 'railway']) {
      expect(there.index.search(query).map((h) => [h.passage.id, h.score])).toEqual(here.index.search(query).map((h) => [h.passage.id, h.score]));
    }
  });

  it('cuts documents into slices of at most so many passages, a large document too, and puts them back together', () => {
    const doc = (id: string, n: number): Document => ({
      id, file: `${id}.txt`, title: null, publisher: null, date: null, url: null, topic: null,
      passages: Array.from({ length: n }, (_, i) => ({ id: `${id}-${i}` }) as Passage),
    });
    const documents = [doc('a', 3), doc('b', 12), doc('c', 0), doc('d', 2)];
    const slices = [...documentSlices(documents, 5)];
    const sizes = slices.map((slice) => slice.documents.reduce((sum, d) => sum + d.passages.length, 0));
    expect(sizes).toEqual([5, 5, 5, 2]);
    expect(slices.map((slice) => slice.continuesLast)).toEqual([false, true, true, false]);
    const received: Document[] = [];
    const passages: Passage[] = [];
    for (const slice of structuredClone(slices)) receiveSlice(slice, received, passages);
    expect(received).toEqual(documents);
    expect(passages).toEqual(documents.flatMap((d) => d.passages));
  });

  it('rejects with the reason when the worker finds nothing usable', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'citebot-empty-'));
    made.push(empty);
    await expect(openIndexInWorker(empty, silent)).rejects.toThrow(/no passages found/);
  });

  it('rebuilds over an unreadable snapshot instead of failing', async () => {
    const { data, cache } = await folders();
    await openIndex(data, silent, { cacheDir: cache });
    const [file] = await readdir(cache);
    await writeFile(join(cache, file!), '{"broken');
    const again = await openIndex(data, silent, { cacheDir: cache });
    expect(again.index.search('railway')).not.toHaveLength(0);
  });
});

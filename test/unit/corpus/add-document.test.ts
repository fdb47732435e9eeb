import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDocument, removeDocument } from '../../../src/corpus/add-document.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citebot-add-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('addDocument', () => {
  it('stores the bytes under the name, leaving no staging folder behind', async () => {
    expect(await addDocument(dir, 'rail.md', Buffer.from('# Rail\n'))).toEqual({ name: 'rail.md', status: 'added' });
    expect(await readFile(join(dir, 'rail.md'), 'utf8')).toBe('# Rail\n');
    expect(await readdir(dir)).toEqual(['rail.md']);
  });

  it('never replaces a different file: the first free numbered name is used', async () => {
    await writeFile(join(dir, 'rail.md'), 'old');
    await writeFile(join(dir, 'rail-2.md'), 'older');
    expect(await addDocument(dir, 'rail.md', Buffer.from('new'))).toEqual({ name: 'rail-3.md', status: 'renamed' });
    expect(await readFile(join(dir, 'rail.md'), 'utf8')).toBe('old');
    expect(await readFile(join(dir, 'rail-3.md'), 'utf8')).toBe('new');
  });

  it('writes nothing when a file with the same name and bytes is there', async () => {
    await writeFile(join(dir, 'rail.md'), 'same');
    expect(await addDocument(dir, 'rail.md', Buffer.from('same'))).toEqual({ name: 'rail.md', status: 'unchanged' });
    expect((await readdir(dir)).sort()).toEqual(['rail.md']);
  });

  it('stores an upload called aliases.txt as a document, not as the alias settings', async () => {
    expect(await addDocument(dir, 'aliases.txt', Buffer.from('x'))).toEqual({ name: 'aliases-2.txt', status: 'renamed' });
  });

  it('refuses a data folder that is a file, and removes what it added', async () => {
    await writeFile(join(dir, 'one.txt'), 'x');
    await expect(addDocument(join(dir, 'one.txt'), 'a.txt', Buffer.from('y'))).rejects.toThrow(/is a file, not a folder/);
    await addDocument(dir, 'b.txt', Buffer.from('b'));
    await removeDocument(dir, 'b.txt');
    expect(await readdir(dir)).toEqual(['one.txt']);
  });
});

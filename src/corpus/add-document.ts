import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isSettingsFile } from './load.ts';
import { withNumber } from './safe-name.ts';

/** Where a document was stored, and whether under the name asked for. */
export interface AddedDocument {
  /** The name it is stored under, directly in the data folder. */
  name: string;
  /** `added`: under the name asked for; `renamed`: another file had that name; `unchanged`: a file with this content already has it. */
  status: 'added' | 'renamed' | 'unchanged';
}

/** Numbered names tried (`report-2.txt` … ) before giving up. */
const MAX_NUMBERED = 100;

/**
 * Stores `bytes` in `dataDir` under `name` (already a safe name) without ever overwriting a file:
 * if another file has the name, the first free `name-2`, `name-3`… is used; if a file with the
 * same bytes has it, nothing is written. The bytes go to a hidden staging folder inside `dataDir`
 * first (the loader skips hidden entries), are flushed to disk, and then appear under their name
 * at once (a hard link, which fails rather than replace a file), so a reload never reads half a file.
 */
export async function addDocument(dataDir: string, name: string, bytes: Uint8Array): Promise<AddedDocument> {
  const info = await stat(dataDir);
  if (!info.isDirectory()) throw new Error(`the data folder ${dataDir} is a file, not a folder`);
  const staging = await mkdtemp(join(dataDir, '.upload-'));
  try {
    const staged = join(staging, 'document');
    const file = await open(staged, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    const hash = sha256(bytes);
    for (let n = 1; n <= MAX_NUMBERED; n++) {
      const candidate = n === 1 ? name : withNumber(name, n);
      // data/aliases.txt configures search: an upload of that name is a document, stored under another name.
      if (isSettingsFile(candidate)) continue;
      const target = join(dataDir, candidate);
      const existing = await stat(target).catch(() => undefined);
      if (existing) {
        if (existing.isFile() && existing.size === bytes.length && (await fileHash(target)) === hash) return { name: candidate, status: 'unchanged' };
        continue;
      }
      if (await placeWithoutReplacing(staged, target)) return { name: candidate, status: n === 1 ? 'added' : 'renamed' };
    }
    throw new Error(`${MAX_NUMBERED} files are already named like ${name}`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Removes a document added by addDocument (a name inside `dataDir`). */
export async function removeDocument(dataDir: string, name: string): Promise<void> {
  await rm(join(dataDir, name), { force: true });
}

/**
 * Makes `staged` appear at `target` in one step, unless something is there already (false). A
 * hard link refuses to replace; where links are not supported, a rename does it (the check for
 * an existing file was made just before).
 */
async function placeWithoutReplacing(staged: string, target: string): Promise<boolean> {
  try {
    await link(staged, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
  }
  await rename(staged, target);
  return true;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A file's SHA-256, streamed (a data file may be large). */
function fileHash(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

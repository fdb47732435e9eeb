import { createHash } from 'node:crypto';

/**
 * The frame around an index snapshot on disk: a header naming the format, the payload's length and
 * its SHA-256, then the payload. A file that was cut short, had bytes changed, or holds something
 * else under the snapshot's name is told apart from a good one before anything is deserialized,
 * so start-up rebuilds instead of failing (or answering from garbage).
 */
const MAGIC = Buffer.from('citebot snapshot 1\n', 'latin1');
const LENGTH_BYTES = 8;
const DIGEST_BYTES = 32;
/** Bytes before the payload. */
export const SNAPSHOT_HEADER_BYTES = MAGIC.length + LENGTH_BYTES + DIGEST_BYTES;

/** The header to write before `payload` (written as two pieces: a multi-GiB payload is not copied). */
export function snapshotHeader(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(SNAPSHOT_HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeBigUInt64LE(BigInt(payload.length), MAGIC.length);
  createHash('sha256').update(payload).digest().copy(header, MAGIC.length + LENGTH_BYTES);
  return header;
}

/** The payload of a framed snapshot (a view, not a copy), or what is wrong with the bytes. */
export function snapshotPayload(bytes: Buffer): { payload: Buffer } | { problem: string } {
  if (bytes.length < SNAPSHOT_HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return { problem: 'not a snapshot of this version (no header)' };
  }
  const declared = bytes.readBigUInt64LE(MAGIC.length);
  const payload = bytes.subarray(SNAPSHOT_HEADER_BYTES);
  if (declared !== BigInt(payload.length)) return { problem: `${payload.length} bytes after the header, which announces ${declared}` };
  const expected = bytes.subarray(MAGIC.length + LENGTH_BYTES, SNAPSHOT_HEADER_BYTES);
  if (!createHash('sha256').update(payload).digest().equals(expected)) return { problem: 'checksum mismatch' };
  return { payload };
}

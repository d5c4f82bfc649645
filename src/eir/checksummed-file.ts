/**
 * The frame shared by the check snapshot (snapshot-format.ts) and the snapshot delta
 * (snapshot-delta-format.ts): an 8-byte magic, a u32 format version and a u32 metadata length M
 * (little-endian), then M bytes of UTF-8 JSON metadata padded with spaces to a multiple of 8,
 * the 8-byte-aligned sections, and the SHA-256 of every byte before it.
 */
import { createHash } from 'node:crypto';

export const HEADER = 16;
export const DIGEST = 32;

export const align8 = (n: number) => (n + 7) & ~7;

/** The 16-byte header and the space-padded metadata that follows it. */
export function encodeFrameHead(
  magic: string,
  version: number,
  meta: unknown,
): { header: Buffer; metaBytes: Buffer } {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const metaBytes = Buffer.alloc(align8(json.length), 0x20);
  json.copy(metaBytes);
  const header = Buffer.alloc(HEADER);
  header.write(magic, 0, 'latin1');
  header.writeUInt32LE(version, 8);
  header.writeUInt32LE(metaBytes.length, 12);
  return { header, metaBytes };
}

/** SHA-256 of a whole image's content (every byte before its trailing digest). */
export function contentDigest(buf: Uint8Array): Buffer {
  return createHash('sha256')
    .update(buf.subarray(0, buf.length - DIGEST))
    .digest();
}

/** Parses the metadata JSON of `metaLen` bytes after the header; `fail` makes the error. */
export function parseFrameMeta<T>(b: Buffer, metaLen: number, fail: (m: string) => Error): T {
  try {
    return JSON.parse(b.toString('utf8', HEADER, HEADER + metaLen)) as T;
  } catch (e) {
    throw fail(`unreadable metadata (${(e as Error).message})`);
  }
}

/**
 * The check snapshot: everything a check needs, built from one list run, in one binary file.
 *
 * Layout (little-endian):
 *   0   magic `CEIRSNAP` (8 bytes)
 *   8   u32 format version (FORMAT_VERSION)
 *   12  u32 length M of the metadata, a multiple of 8
 *   16  metadata: UTF-8 JSON padded with spaces (snapshot version = list run, as-of, created;
 *       policy; counts; reason sets; malformed IMEI texts; section table)
 *   16+M sections, each at an 8-byte-aligned offset (relative to 16+M) given in the table:
 *       imei.buckets f64 (64-byte buckets: 6 keys + 6 u16 statuses) | pair.imeis f64 | pair.imsis f64 | tac.bitmap u8
 *   end SHA-256 (32 bytes) of every byte before it.
 * The sections are the ready-built hash tables, so loading is one read, one hash and typed-array
 * views over the read buffer (no rebuild, no copy). Written to a temporary file, fsynced and
 * renamed, so a reader sees the old file or the new one, never a partial one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import type { EirSnapshotData } from '../core/ports/snapshot-source.js';
import { TAC_BITMAP_BYTES } from '../core/ports/snapshot-source.js';
import { checkPolicy, type CheckPolicy } from './check-engine.js';
import {
  align8,
  contentDigest,
  DIGEST,
  encodeFrameHead,
  HEADER,
  parseFrameMeta,
} from './checksummed-file.js';
import { ImeiBit, ImeiIndex, ImeiIndexBuilder } from './imei-index.js';
import { foldOverlay } from './imei-overlay.js';
import { PairIndex } from './pair-index.js';

export const SNAPSHOT_MAGIC = 'CEIRSNAP';
export const FORMAT_VERSION = 2;

/** Which data a snapshot holds. */
export interface SnapshotVersion {
  /** `r<list run>-<as-of>-<created>`: what a server reports it serves. */
  readonly id: string;
  readonly listRun: number;
  readonly asOf: string;
  /** ISO instant the snapshot was built. */
  readonly createdAt: string;
}

export interface SnapshotCounts {
  readonly black: number;
  readonly grey: number;
  readonly golden: number;
  readonly exceptions: number;
  readonly tacs: number;
  readonly malformed: number;
}

export interface MalformedEntry {
  readonly text: string;
  readonly kind: 'black' | 'grey';
  readonly reasonSet: number;
}

/** A snapshot in memory. */
export interface EirSnapshot {
  readonly version: SnapshotVersion;
  readonly policy: CheckPolicy;
  readonly counts: SnapshotCounts;
  readonly reasonSets: readonly (readonly string[])[];
  readonly index: ImeiIndex;
  readonly pairs: PairIndex;
  readonly tacBitmap: Uint8Array;
  readonly tacCount: number;
  readonly malformed: readonly MalformedEntry[];
  /** SHA-256 (hex) of the file it was read from or written to; '' when never encoded. */
  readonly sha256: string;
}

/** A file that is not a valid snapshot (bad magic, version, checksum or layout). */
export class SnapshotFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFormatError';
  }
}

/** Builds the in-memory snapshot (indexes) from the store's data. */
export function snapshotFromData(
  data: EirSnapshotData,
  options: { policy?: Partial<CheckPolicy>; createdAt?: string } = {},
): EirSnapshot {
  const createdAt = options.createdAt ?? new Date().toISOString();
  if (data.tacBitmap.length !== TAC_BITMAP_BYTES)
    throw new RangeError(`tacBitmap must have ${TAC_BITMAP_BYTES} bytes`);
  const b = new ImeiIndexBuilder(
    data.black.imeis.length +
      data.grey.imeis.length +
      data.golden.length +
      data.exceptions.imeis.length,
  );
  const { grey, black } = data;
  for (let i = 0; i < grey.imeis.length; i++)
    b.add(grey.imeis[i]!, ImeiBit.GREY, grey.reasonSets[i]);
  // Black after grey: its reason set wins for an IMEI on both.
  for (let i = 0; i < black.imeis.length; i++)
    b.add(black.imeis[i]!, ImeiBit.BLACK, black.reasonSets[i]);
  for (const g of data.golden) b.add(g, ImeiBit.GOLDEN);
  for (const e of data.exceptions.imeis) b.add(e, ImeiBit.HAS_EXCEPTION);
  for (const m of data.malformed)
    if (!(m.reasonSet >= 0 && m.reasonSet < data.reasonSets.length))
      throw new RangeError(`Malformed entry ${m.text}: unknown reason set ${m.reasonSet}`);
  return {
    version: snapshotVersion(data.listRun, data.asOf, createdAt),
    policy: checkPolicy(options.policy),
    counts: {
      black: black.imeis.length,
      grey: grey.imeis.length,
      golden: data.golden.length,
      exceptions: data.exceptions.imeis.length,
      tacs: data.tacCount,
      malformed: data.malformed.length,
    },
    reasonSets: data.reasonSets,
    index: b.build(),
    pairs: PairIndex.build(data.exceptions.imeis, data.exceptions.imsis),
    tacBitmap: data.tacBitmap,
    tacCount: data.tacCount,
    malformed: data.malformed,
    sha256: '',
  };
}

function snapshotVersion(listRun: number, asOf: string, createdAt: string): SnapshotVersion {
  return { id: `r${listRun}-${asOf || 'none'}-${createdAt}`, listRun, asOf, createdAt };
}

type SectionType = 'f64' | 'u16' | 'u8';
interface Section {
  readonly name: string;
  readonly type: SectionType;
  /** Byte offset from the start of the section area. */
  readonly offset: number;
  /** Elements. */
  readonly length: number;
}

interface Meta {
  readonly version: SnapshotVersion;
  readonly policy: CheckPolicy;
  readonly counts: SnapshotCounts;
  readonly reasonSets: readonly (readonly string[])[];
  readonly malformed: readonly MalformedEntry[];
  readonly tacCount: number;
  readonly sections: readonly Section[];
}

const BYTES: Record<SectionType, number> = { f64: 8, u16: 2, u8: 1 };
const bytesOf = (a: Float64Array | Uint16Array | Uint8Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function assertLittleEndian(): void {
  if (endianness() !== 'LE')
    throw new SnapshotFormatError('Snapshots need a little-endian machine');
}

/** The file's bytes, as parts in order (the last is the SHA-256), and the digest in hex. */
export function encodeSnapshot(s: EirSnapshot): { parts: Uint8Array[]; sha256: string } {
  const parts = snapshotBody(s);
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  const digest = hash.digest();
  parts.push(digest);
  return { parts, sha256: digest.toString('hex') };
}

/**
 * The file's bytes before its SHA-256 trailer, as parts in order (views of the tables, no copy
 * unless an overlay is folded): for a writer that hashes as it writes.
 */
export function snapshotBody(s: EirSnapshot): Uint8Array[] {
  assertLittleEndian();
  const arrays: [string, SectionType, Float64Array | Uint16Array | Uint8Array][] = [
    // The file holds one table: an overlay (imei-overlay.ts) is written into a copy of the base.
    ['imei.buckets', 'f64', foldOverlay(s.index).buckets],
    ['pair.imeis', 'f64', s.pairs.imeis],
    ['pair.imsis', 'f64', s.pairs.imsis],
    ['tac.bitmap', 'u8', s.tacBitmap],
  ];
  const sections: Section[] = [];
  let offset = 0;
  for (const [name, type, a] of arrays) {
    sections.push({ name, type, offset, length: a.length });
    offset = align8(offset + a.byteLength);
  }
  const meta: Meta = {
    version: s.version,
    policy: s.policy,
    counts: s.counts,
    reasonSets: s.reasonSets,
    malformed: s.malformed,
    tacCount: s.tacCount,
    sections,
  };
  const { header, metaBytes } = encodeFrameHead(SNAPSHOT_MAGIC, FORMAT_VERSION, meta);
  const parts: Uint8Array[] = [header, metaBytes];
  let written = 0;
  for (const [, , a] of arrays) {
    parts.push(bytesOf(a));
    written += a.byteLength;
    const pad = align8(written) - written;
    if (pad > 0) parts.push(new Uint8Array(pad));
    written += pad;
  }
  return parts;
}

/**
 * Writes the snapshot atomically: a temporary file beside `path`, fsynced, then renamed over it.
 * Returns the snapshot with its SHA-256 and the file size.
 */
export async function writeSnapshot(
  path: string,
  s: EirSnapshot,
): Promise<{ snapshot: EirSnapshot; bytes: number }> {
  const { parts, sha256 } = encodeSnapshot(s);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, 'w');
  let bytes = 0;
  try {
    for (const p of parts) {
      let off = 0;
      while (off < p.length) {
        const { bytesWritten } = await fh.write(p, off, Math.min(p.length - off, 1 << 24));
        off += bytesWritten;
      }
      bytes += p.length;
    }
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  return { snapshot: { ...s, sha256 }, bytes };
}

function view(buf: Uint8Array, base: number, s: Section, type: SectionType, name: string) {
  if (s.type !== type)
    throw new SnapshotFormatError(`${name}: section ${s.name} is ${s.type}, not ${type}`);
  const start = buf.byteOffset + base + s.offset;
  const bytes = s.length * BYTES[type];
  if (
    !(Number.isSafeInteger(s.offset) && s.offset >= 0 && s.offset % 8 === 0) ||
    base + s.offset + bytes > buf.length - DIGEST
  )
    throw new SnapshotFormatError(`${name}: section ${s.name} lies outside the file`);
  if (type === 'f64') return new Float64Array(buf.buffer, start, s.length);
  if (type === 'u16') return new Uint16Array(buf.buffer, start, s.length);
  return new Uint8Array(buf.buffer, start, s.length);
}

/** Parses a verified file image; `sha256` is its already-checked digest. */
function parse(buf: Uint8Array, sha256: string, name: string): EirSnapshot {
  assertLittleEndian();
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const version = b.readUInt32LE(8);
  if (version !== FORMAT_VERSION)
    throw new SnapshotFormatError(
      `${name}: snapshot format version ${version}, this server reads version ${FORMAT_VERSION}`,
    );
  const metaLen = b.readUInt32LE(12);
  if (HEADER + metaLen > buf.length - DIGEST)
    throw new SnapshotFormatError(`${name}: metadata runs past the end of the file`);
  const meta = parseFrameMeta<Meta>(b, metaLen, (m) => new SnapshotFormatError(`${name}: ${m}`));
  if (buf.byteOffset % 8 !== 0) return parse(buf.slice(), sha256, name);
  const base = HEADER + metaLen;
  const sec = (n: string) => {
    const s = meta.sections.find((x) => x.name === n);
    if (!s) throw new SnapshotFormatError(`${name}: section ${n} is missing`);
    return s;
  };
  try {
    const index = new ImeiIndex(view(buf, base, sec('imei.buckets'), 'f64', name) as Float64Array);
    const pairs = new PairIndex(
      view(buf, base, sec('pair.imeis'), 'f64', name) as Float64Array,
      view(buf, base, sec('pair.imsis'), 'f64', name) as Float64Array,
    );
    const tacBitmap = view(buf, base, sec('tac.bitmap'), 'u8', name) as Uint8Array;
    if (tacBitmap.length !== TAC_BITMAP_BYTES)
      throw new SnapshotFormatError(`${name}: TAC bitmap has ${tacBitmap.length} bytes`);
    return {
      version: meta.version,
      policy: checkPolicy(meta.policy),
      counts: meta.counts,
      reasonSets: meta.reasonSets,
      index,
      pairs,
      tacBitmap,
      tacCount: meta.tacCount,
      malformed: meta.malformed,
      sha256,
    };
  } catch (e) {
    if (e instanceof SnapshotFormatError) throw e;
    throw new SnapshotFormatError(`${name}: invalid layout (${(e as Error).message})`);
  }
}

function checkFrame(buf: Uint8Array, name: string): void {
  if (buf.length < HEADER + DIGEST)
    throw new SnapshotFormatError(`${name}: ${buf.length} bytes is too short for a snapshot`);
  const magic = Buffer.from(buf.buffer, buf.byteOffset, 8).toString('latin1');
  if (magic !== SNAPSHOT_MAGIC)
    throw new SnapshotFormatError(
      `${name}: not a CEIR check snapshot (magic ${JSON.stringify(magic)})`,
    );
}

function checkDigest(buf: Uint8Array, computed: Buffer, name: string): string {
  const stored = Buffer.from(buf.buffer, buf.byteOffset + buf.length - DIGEST, DIGEST);
  if (!computed.equals(stored))
    throw new SnapshotFormatError(
      `${name}: checksum mismatch, refused (SHA-256 of the content is ${computed.toString('hex')}, ` +
        `the file says ${stored.toString('hex')}); the file is corrupt or was modified`,
    );
  return computed.toString('hex');
}

/** Verifies and parses a snapshot image (the whole file). Throws SnapshotFormatError. */
export function decodeSnapshot(buf: Uint8Array, name = 'snapshot'): EirSnapshot {
  checkFrame(buf, name);
  return parse(buf, checkDigest(buf, contentDigest(buf), name), name);
}

/**
 * Reads a snapshot file into one buffer, hashing as it reads, then verifies the checksum and
 * parses it. Throws SnapshotFormatError for a bad file (the caller keeps what it serves).
 */
export async function readSnapshot(path: string): Promise<EirSnapshot> {
  const size = (await stat(path)).size;
  if (size < HEADER + DIGEST)
    throw new SnapshotFormatError(`${path}: ${size} bytes is too short for a snapshot`);
  const buf = new Uint8Array(new ArrayBuffer(size));
  const hash = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    let off = 0;
    const body = size - DIGEST;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, Math.min(size - off, 1 << 23), off);
      if (bytesRead === 0) throw new SnapshotFormatError(`${path}: file shrank while reading`);
      const end = Math.min(off + bytesRead, body);
      if (end > off) hash.update(buf.subarray(off, end));
      off += bytesRead;
    }
  } finally {
    await fh.close();
  }
  checkFrame(buf, path);
  return parse(buf, checkDigest(buf, hash.digest(), path), path);
}

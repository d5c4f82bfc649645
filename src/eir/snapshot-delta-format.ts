/**
 * A snapshot delta: the entries that changed between two check snapshots A and B, in a compact,
 * checksummed binary form (docs/distribution.md "Delta format"). Applied to A it gives a
 * snapshot that answers every check as B does (snapshot-delta.ts).
 *
 * Layout (little-endian):
 *   0   magic `CEIRDLTA` (8 bytes)
 *   8   u32 format version (DELTA_FORMAT_VERSION)
 *   12  u32 length M of the metadata, a multiple of 8
 *   16  metadata: UTF-8 JSON padded with spaces: `from` {id, digest} (the base), `to` {version,
 *       policy, counts, reasonSets, malformed, tacCount, digest} (the target's small parts,
 *       whole) and the element counts n (IMEI changes), a (pairs added), r (pairs removed),
 *       t (TAC-bitmap bytes changed)
 *   16+M sections, each starting 8-byte aligned, in this order:
 *       IMEI numbers f64[n] | pairs added: IMEIs f64[a], IMSI keys f64[a] | pairs removed: IMEIs
 *       f64[r], IMSI keys f64[r] | IMEI statuses u16[n] (0: the IMEI left every list) |
 *       TAC-bitmap byte offsets u32[t] | their new values u8[t]
 *   end SHA-256 (32 bytes) of every byte before it.
 * An IMEI change costs 10 bytes, a pair 16, a TAC-bitmap byte 5.
 */
import { endianness } from 'node:os';
import type { CheckPolicy } from './check-engine.js';
import {
  align8,
  contentDigest,
  DIGEST,
  encodeFrameHead,
  HEADER,
  parseFrameMeta,
} from './checksummed-file.js';
import type { MalformedEntry, SnapshotCounts, SnapshotVersion } from './snapshot-format.js';

export const DELTA_MAGIC = 'CEIRDLTA';
export const DELTA_FORMAT_VERSION = 1;

/** What a delta turns its base into (the parts of a snapshot that are not tables). */
export interface DeltaTarget {
  readonly version: SnapshotVersion;
  readonly policy: CheckPolicy;
  readonly counts: SnapshotCounts;
  readonly reasonSets: readonly (readonly string[])[];
  readonly malformed: readonly MalformedEntry[];
  readonly tacCount: number;
  /** Content digest (snapshot-digest.ts) of the target. */
  readonly digest: string;
}

export interface SnapshotDelta {
  /** The base: its snapshot version id and content digest. */
  readonly from: { readonly id: string; readonly digest: string };
  readonly to: DeltaTarget;
  /** IMEI numbers whose status changed, and their new status words (0: removed). */
  readonly imeis: Float64Array;
  readonly statuses: Uint16Array;
  readonly pairsAdded: { readonly imeis: Float64Array; readonly imsis: Float64Array };
  readonly pairsRemoved: { readonly imeis: Float64Array; readonly imsis: Float64Array };
  /** TAC-bitmap byte offsets and their new values. */
  readonly tacOffsets: Uint32Array;
  readonly tacValues: Uint8Array;
}

/** A delta that cannot be read or applied. `kind` says what the follower does about it. */
export class SnapshotDeltaError extends Error {
  /**
   * `corrupt`: the bytes are not a valid delta; `base`: it was made from another snapshot than
   * the one served; `mismatch`: the result's content digest is not the target's.
   */
  constructor(
    readonly kind: 'corrupt' | 'base' | 'mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotDeltaError';
  }
}

interface Meta {
  readonly from: SnapshotDelta['from'];
  readonly to: DeltaTarget;
  readonly n: number;
  readonly a: number;
  readonly r: number;
  readonly t: number;
}

const bytesOf = (a: Float64Array | Uint16Array | Uint32Array | Uint8Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Encodes a delta; the result ends with its SHA-256. */
export function encodeDelta(d: SnapshotDelta): Uint8Array {
  if (endianness() !== 'LE') throw new RangeError('Deltas need a little-endian machine');
  const n = d.imeis.length;
  const a = d.pairsAdded.imeis.length;
  const r = d.pairsRemoved.imeis.length;
  const t = d.tacOffsets.length;
  if (
    d.statuses.length !== n ||
    d.pairsAdded.imsis.length !== a ||
    d.pairsRemoved.imsis.length !== r ||
    d.tacValues.length !== t
  )
    throw new RangeError('encodeDelta: parallel arrays differ in length');
  const meta: Meta = { from: d.from, to: d.to, n, a, r, t };
  const { header, metaBytes } = encodeFrameHead(DELTA_MAGIC, DELTA_FORMAT_VERSION, meta);
  const sections = [
    d.imeis,
    d.pairsAdded.imeis,
    d.pairsAdded.imsis,
    d.pairsRemoved.imeis,
    d.pairsRemoved.imsis,
    d.statuses,
    d.tacOffsets,
    d.tacValues,
  ];
  const body = sections.reduce((s, x) => s + align8(x.byteLength), 0);
  const out = new Uint8Array(HEADER + metaBytes.length + body + DIGEST);
  const b = Buffer.from(out.buffer);
  out.set(header, 0);
  out.set(metaBytes, HEADER);
  let off = HEADER + metaBytes.length;
  for (const s of sections) {
    out.set(bytesOf(s), off);
    off += align8(s.byteLength);
  }
  contentDigest(out).copy(b, off);
  return out;
}

/** Verifies and decodes a delta. Throws SnapshotDeltaError (`corrupt`) naming what is wrong. */
export function decodeDelta(buf: Uint8Array, name = 'delta'): SnapshotDelta {
  const bad = (m: string) => new SnapshotDeltaError('corrupt', `${name}: ${m}`);
  if (buf.length < HEADER + DIGEST) throw bad(`${buf.length} bytes is too short for a delta`);
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const magic = b.toString('latin1', 0, 8);
  if (magic !== DELTA_MAGIC)
    throw bad(`not a CEIR snapshot delta (magic ${JSON.stringify(magic)})`);
  const computed = contentDigest(buf);
  if (!computed.equals(b.subarray(buf.length - DIGEST)))
    throw bad(`checksum mismatch (SHA-256 of the content is ${computed.toString('hex')})`);
  const version = b.readUInt32LE(8);
  if (version !== DELTA_FORMAT_VERSION)
    throw bad(`delta format version ${version}, this server reads ${DELTA_FORMAT_VERSION}`);
  const metaLen = b.readUInt32LE(12);
  if (HEADER + metaLen > buf.length - DIGEST) throw bad('metadata runs past the end');
  const meta = parseFrameMeta<Meta>(b, metaLen, bad);
  const { n, a, r, t } = meta;
  if (![n, a, r, t].every((x) => Number.isSafeInteger(x) && x >= 0))
    throw bad('invalid element counts');
  let off = HEADER + metaLen;
  const take = (bytes: number): ArrayBuffer => {
    if (off + bytes > buf.length - DIGEST) throw bad('sections run past the end');
    // A copy: aligned for the typed-array views whatever the source buffer's offset.
    const ab = buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + bytes) as ArrayBuffer;
    off += align8(bytes);
    return ab;
  };
  const f64 = (k: number) => new Float64Array(take(k * 8));
  const imeis = f64(n);
  const pairsAdded = { imeis: f64(a), imsis: f64(a) };
  const pairsRemoved = { imeis: f64(r), imsis: f64(r) };
  const statuses = new Uint16Array(take(n * 2));
  const tacOffsets = new Uint32Array(take(t * 4));
  const tacValues = new Uint8Array(take(t));
  if (off !== buf.length - DIGEST) throw bad('trailing bytes after the sections');
  return {
    from: meta.from,
    to: meta.to,
    imeis,
    statuses,
    pairsAdded,
    pairsRemoved,
    tacOffsets,
    tacValues,
  };
}

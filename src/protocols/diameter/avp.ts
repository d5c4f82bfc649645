/**
 * Diameter AVPs (RFC 6733 §4): the AVP header, 4-byte padding and the basic and derived data
 * formats (§4.2, §4.3.1). Encoding takes tagged values; decoding returns views into the input
 * (no copies) and never throws: malformed input gives a `{kind:'error'}` value carrying the
 * Result-Code to answer with (5014 DIAMETER_INVALID_AVP_LENGTH, 5004 DIAMETER_INVALID_AVP_VALUE).
 */
import { isUtf8 } from 'node:buffer';
import { formatAddress, parseAddress } from './address.js';

/** AVP flags (RFC 6733 §4.1): V (Vendor-Specific), M (Mandatory), P (reserved, end-to-end security). */
export const AVP_FLAG_V = 0x80;
export const AVP_FLAG_M = 0x40;
export const AVP_FLAG_P = 0x20;

/** RFC 6733 §7.1.5 result codes a decoder can produce. */
export const RC_INVALID_AVP_VALUE = 5004;
export const RC_INVALID_AVP_LENGTH = 5014;

/** A decoding failure: where it happened and the Result-Code to answer it with (RFC 6733 §7.1). */
export interface DecodeError {
  readonly kind: 'error';
  /** Result-Code for the answer, e.g. 5014 DIAMETER_INVALID_AVP_LENGTH. */
  readonly resultCode: number;
  /** Byte offset (in the buffer that was decoded) of the offending header or AVP. */
  readonly offset: number;
  readonly reason: string;
}

export function decodeError(resultCode: number, offset: number, reason: string): DecodeError {
  return { kind: 'error', resultCode, offset, reason };
}

/** A decoded AVP: header fields and a view (not a copy) of its unpadded data. */
export interface RawAvp {
  readonly code: number;
  readonly flags: number;
  /** 0 when the V bit is clear. */
  readonly vendorId: number;
  readonly data: Buffer;
  /** Offset of the AVP header in the buffer it was decoded from. */
  readonly offset: number;
}

/** RFC 6733 §4.2 basic formats and §4.3.1 derived formats used by the base protocol and S13. */
export type AvpType =
  | 'OctetString'
  | 'UTF8String'
  | 'DiameterIdentity'
  | 'DiameterURI'
  | 'Unsigned32'
  | 'Integer32'
  | 'Unsigned64'
  | 'Integer64'
  | 'Enumerated'
  | 'Address'
  | 'Time'
  | 'Grouped';

/** The JavaScript value of each AVP type. Address is IPv4 or IPv6 text; Time is whole seconds. */
export interface AvpTypeValue {
  OctetString: Uint8Array;
  UTF8String: string;
  DiameterIdentity: string;
  DiameterURI: string;
  Unsigned32: number;
  Integer32: number;
  Unsigned64: bigint;
  Integer64: bigint;
  Enumerated: number;
  Address: string;
  Time: Date;
  Grouped: readonly OutAvp[];
}

/** A typed value to encode. */
export type AvpValue = {
  [T in AvpType]: { readonly type: T; readonly value: AvpTypeValue[T] };
}[AvpType];

/** An AVP to encode. The V flag is set from `vendorId`; `flags` defaults to M. */
export interface OutAvp {
  readonly code: number;
  readonly vendorId?: number;
  /** M and P bits (V is derived from vendorId); default AVP_FLAG_M. */
  readonly flags?: number;
  readonly value: AvpValue;
}

/** Length of an AVP header: 8 octets, 12 with a Vendor-ID (RFC 6733 §4.1). */
export function avpHeaderLength(vendorId: number | undefined): number {
  return vendorId ? 12 : 8;
}

/** Rounds up to a multiple of 4: AVPs are padded to a 32-bit boundary (RFC 6733 §4.1). */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}

function dataLength(v: AvpValue): number {
  switch (v.type) {
    case 'OctetString':
      return v.value.length;
    case 'UTF8String':
    case 'DiameterIdentity':
    case 'DiameterURI':
      return Buffer.byteLength(v.value, 'utf8');
    case 'Unsigned32':
    case 'Integer32':
    case 'Enumerated':
    case 'Time':
      return 4;
    case 'Unsigned64':
    case 'Integer64':
      return 8;
    case 'Address':
      return 2 + (v.value.includes(':') ? 16 : 4);
    case 'Grouped':
      return avpsLength(v.value);
  }
}

/** Unpadded length of one AVP as written in its AVP Length field. */
export function avpLength(avp: OutAvp): number {
  return avpHeaderLength(avp.vendorId) + dataLength(avp.value);
}

/** Total padded length of a list of AVPs. */
export function avpsLength(avps: readonly OutAvp[]): number {
  let n = 0;
  for (const a of avps) n += pad4(avpLength(a));
  return n;
}

/** Writes the AVP header (RFC 6733 §4.1); returns the offset of the data. */
export function writeAvpHeader(
  buf: Buffer,
  off: number,
  code: number,
  flags: number,
  vendorId: number,
  length: number,
): number {
  buf.writeUInt32BE(code >>> 0, off);
  buf.writeUInt32BE(length, off + 4);
  buf[off + 4] = (vendorId ? flags | AVP_FLAG_V : flags & ~AVP_FLAG_V) & 0xff;
  if (vendorId) {
    buf.writeUInt32BE(vendorId >>> 0, off + 8);
    return off + 12;
  }
  return off + 8;
}

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2208988800;
/** RFC 4330 §3: NTP era 1 starts at 2036-02-07T06:28:16Z. */
const NTP_ERA1_UNIX = 4294967296 - NTP_UNIX_OFFSET;

/** Writes one AVP with its padding (zeros); returns the offset after the padding. */
export function writeAvp(buf: Buffer, off: number, avp: OutAvp): number {
  const len = avpLength(avp);
  const vendorId = avp.vendorId ?? 0;
  let p = writeAvpHeader(buf, off, avp.code, avp.flags ?? AVP_FLAG_M, vendorId, len);
  const v = avp.value;
  switch (v.type) {
    case 'OctetString':
      buf.set(v.value, p);
      p += v.value.length;
      break;
    case 'UTF8String':
    case 'DiameterIdentity':
    case 'DiameterURI':
      p += buf.write(v.value, p, 'utf8');
      break;
    case 'Unsigned32':
      p = buf.writeUInt32BE(v.value, p);
      break;
    case 'Integer32':
    case 'Enumerated': // Enumerated is derived from Integer32 (RFC 6733 §4.3.1)
      p = buf.writeInt32BE(v.value, p);
      break;
    case 'Unsigned64':
      p = buf.writeBigUInt64BE(v.value, p);
      break;
    case 'Integer64':
      p = buf.writeBigInt64BE(v.value, p);
      break;
    case 'Time': {
      const unix = Math.floor(v.value.getTime() / 1000);
      p = buf.writeUInt32BE((((unix + NTP_UNIX_OFFSET) % 4294967296) + 4294967296) % 4294967296, p);
      break;
    }
    case 'Address': {
      const a = parseAddress(v.value);
      if (!a) throw new TypeError(`Cannot encode Address "${v.value}": not IPv4 or IPv6 text`);
      p = buf.writeUInt16BE(a.family, p);
      buf.set(a.bytes, p);
      p += a.bytes.length;
      break;
    }
    case 'Grouped':
      for (const inner of v.value) p = writeAvp(buf, p, inner);
      break;
  }
  const end = off + pad4(len);
  buf.fill(0, p, end);
  return end;
}

/** Encodes a list of AVPs into a new Buffer. */
export function encodeAvps(avps: readonly OutAvp[]): Buffer {
  const buf = Buffer.allocUnsafe(avpsLength(avps));
  let p = 0;
  for (const a of avps) p = writeAvp(buf, p, a);
  return buf;
}

/** Re-encodes a decoded AVP exactly (header, data, padding), e.g. for Failed-AVP (RFC 6733 §7.5). */
export function encodeRawAvp(avp: RawAvp): Buffer {
  const hl = avpHeaderLength(avp.vendorId);
  const buf = Buffer.alloc(pad4(hl + avp.data.length));
  writeAvpHeader(buf, 0, avp.code, avp.flags, avp.vendorId, hl + avp.data.length);
  avp.data.copy(buf, hl);
  return buf;
}

/**
 * Decodes the AVPs in `buf[start, end)` (a message body or a Grouped AVP's data). A final AVP
 * whose padding would run past `end` is accepted (some peers omit the last padding inside a
 * Grouped AVP). Offsets in results and errors are offsets in `buf`.
 */
export function decodeAvps(
  buf: Buffer,
  start = 0,
  end = buf.length,
): { kind: 'ok'; avps: RawAvp[] } | DecodeError {
  const avps: RawAvp[] = [];
  let off = start;
  while (off < end) {
    if (end - off < 8) {
      return decodeError(RC_INVALID_AVP_LENGTH, off, `AVP header truncated: ${end - off} bytes`);
    }
    const code = buf.readUInt32BE(off);
    const flags = buf[off + 4]!;
    const len = buf.readUIntBE(off + 5, 3);
    const hl = flags & AVP_FLAG_V ? 12 : 8;
    if (len < hl) {
      return decodeError(RC_INVALID_AVP_LENGTH, off, `AVP ${code} length ${len} < header ${hl}`);
    }
    if (len > end - off) {
      return decodeError(RC_INVALID_AVP_LENGTH, off, `AVP ${code} length ${len} overruns data`);
    }
    const vendorId = hl === 12 ? buf.readUInt32BE(off + 8) : 0;
    avps.push({ code, flags, vendorId, data: buf.subarray(off + hl, off + len), offset: off });
    off += pad4(len);
  }
  return { kind: 'ok', avps };
}

/** Result of reading a typed value from an AVP. */
export type ReadResult<T> = { kind: 'ok'; value: T } | DecodeError;

function fixed(avp: RawAvp, n: number): DecodeError | undefined {
  return avp.data.length === n
    ? undefined
    : decodeError(RC_INVALID_AVP_LENGTH, avp.offset, `AVP ${avp.code}: ${avp.data.length} != ${n}`);
}

/** Reads a UTF-8 string, rejecting invalid UTF-8 with 5004 (RFC 6733 §4.3.1 UTF8String). */
export function readUtf8(avp: RawAvp): ReadResult<string> {
  const d = avp.data;
  if (!isUtf8(d))
    return decodeError(RC_INVALID_AVP_VALUE, avp.offset, `AVP ${avp.code}: bad UTF-8`);
  return { kind: 'ok', value: d.toString('utf8') };
}

/** Reads an Unsigned32 (RFC 6733 §4.2); Enumerated and Integer32 use `readInteger32`. */
export function readUnsigned32(avp: RawAvp): ReadResult<number> {
  return fixed(avp, 4) ?? { kind: 'ok', value: avp.data.readUInt32BE(0) };
}

export function readInteger32(avp: RawAvp): ReadResult<number> {
  return fixed(avp, 4) ?? { kind: 'ok', value: avp.data.readInt32BE(0) };
}

export function readUnsigned64(avp: RawAvp): ReadResult<bigint> {
  return fixed(avp, 8) ?? { kind: 'ok', value: avp.data.readBigUInt64BE(0) };
}

export function readInteger64(avp: RawAvp): ReadResult<bigint> {
  return fixed(avp, 8) ?? { kind: 'ok', value: avp.data.readBigInt64BE(0) };
}

/** Time (RFC 6733 §4.3.1): NTP seconds; values with the top bit clear are in era 1 (RFC 4330 §3). */
export function readTime(avp: RawAvp): ReadResult<Date> {
  const bad = fixed(avp, 4);
  if (bad) return bad;
  const ntp = avp.data.readUInt32BE(0);
  const unix = ntp >= 0x80000000 ? ntp - NTP_UNIX_OFFSET : ntp + NTP_ERA1_UNIX;
  return { kind: 'ok', value: new Date(unix * 1000) };
}

/** Address (RFC 6733 §4.3.1): 2-byte IANA address family (1 IPv4, 2 IPv6) then the address. */
export function readAddress(avp: RawAvp): ReadResult<string> {
  const d = avp.data;
  if (d.length < 2) return decodeError(RC_INVALID_AVP_LENGTH, avp.offset, 'Address too short');
  const text = formatAddress(d.readUInt16BE(0), d.subarray(2));
  if (text === undefined) {
    return decodeError(RC_INVALID_AVP_VALUE, avp.offset, `Address family ${d.readUInt16BE(0)}`);
  }
  return { kind: 'ok', value: text };
}

/** Reads a Grouped AVP's members (RFC 6733 §4.4). */
export function readGrouped(avp: RawAvp): ReadResult<RawAvp[]> {
  const d = avp.data;
  const r = decodeAvps(d);
  if (r.kind === 'error') {
    const at = avp.offset + avpHeaderLength(avp.vendorId) + r.offset;
    return decodeError(r.resultCode, at, `in grouped AVP ${avp.code}: ${r.reason}`);
  }
  // Inner offsets are relative to the grouped data; rebase them onto the outer buffer.
  const base = avp.offset + avpHeaderLength(avp.vendorId);
  return { kind: 'ok', value: r.avps.map((a) => ({ ...a, offset: a.offset + base })) };
}

/** Reads any typed value; the inverse of `writeAvp` for that type. */
export function readValue(
  avp: RawAvp,
  type: AvpType,
): ReadResult<string | number | bigint | Date | Uint8Array | RawAvp[]> {
  switch (type) {
    case 'OctetString':
      return { kind: 'ok', value: avp.data };
    case 'UTF8String':
    case 'DiameterIdentity':
    case 'DiameterURI':
      return readUtf8(avp);
    case 'Unsigned32':
      return readUnsigned32(avp);
    case 'Integer32':
    case 'Enumerated':
      return readInteger32(avp);
    case 'Unsigned64':
      return readUnsigned64(avp);
    case 'Integer64':
      return readInteger64(avp);
    case 'Time':
      return readTime(avp);
    case 'Address':
      return readAddress(avp);
    case 'Grouped':
      return readGrouped(avp);
  }
}

/** First AVP with this code and vendor, or undefined. */
export function findAvp(avps: readonly RawAvp[], code: number, vendorId = 0): RawAvp | undefined {
  for (const a of avps) if (a.code === code && a.vendorId === vendorId) return a;
  return undefined;
}

/** All AVPs with this code and vendor. */
export function findAvps(avps: readonly RawAvp[], code: number, vendorId = 0): RawAvp[] {
  return avps.filter((a) => a.code === code && a.vendorId === vendorId);
}

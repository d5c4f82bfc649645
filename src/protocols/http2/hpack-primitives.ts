/**
 * HPACK primitive types (RFC 7541 §5): prefixed integers (§5.1) and string literals (§5.2).
 * Decoders read from a byte array at a position and return the value and the next position
 * through a small reusable cursor, so the hot path allocates nothing but the strings.
 */
import { HpackError } from './hpack-error.js';
import { huffmanDecode, huffmanEncode, huffmanLength } from './hpack-huffman.js';

/** Read position shared by the decode functions. */
export interface Cursor {
  pos: number;
}

/** Largest integer accepted (§5.1 leaves the bound to the implementation): 2^31 - 1. */
const MAX_INT = 0x7fffffff;

/** Decode a §5.1 integer with an N-bit prefix starting at `src[cur.pos]`. */
export function decodeInteger(
  src: Uint8Array,
  end: number,
  cur: Cursor,
  prefixBits: number,
): number {
  if (cur.pos >= end) throw new HpackError('Truncated integer');
  const max = (1 << prefixBits) - 1;
  let value = src[cur.pos++]! & max;
  if (value < max) return value;
  let shift = 0;
  for (;;) {
    if (cur.pos >= end) throw new HpackError('Truncated integer');
    const b = src[cur.pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (value > MAX_INT) throw new HpackError('Integer too large');
    if ((b & 0x80) === 0) return value;
    shift += 7;
  }
}

/**
 * Encode a §5.1 integer at `dst[pos]` with an N-bit prefix; `first` holds the bits above the
 * prefix (the representation's pattern). Returns the end position.
 */
export function encodeInteger(
  value: number,
  prefixBits: number,
  first: number,
  dst: Uint8Array,
  pos: number,
): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    dst[pos++] = first | value;
    return pos;
  }
  dst[pos++] = first | max;
  value -= max;
  while (value >= 128) {
    dst[pos++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  dst[pos++] = value;
  return pos;
}

/** Bytes `encodeInteger` writes. */
export function integerLength(value: number, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) return 1;
  let n = 2;
  for (value -= max; value >= 128; value = Math.floor(value / 128)) n++;
  return n;
}

/**
 * Decode a §5.2 string literal (H flag, 7-bit length, bytes) as latin1 text (header octets kept
 * one-to-one). Throws when the declared length exceeds `maxLength` before decoding anything.
 */
export function decodeString(src: Uint8Array, end: number, cur: Cursor, maxLength: number): string {
  if (cur.pos >= end) throw new HpackError('Truncated string');
  const huffman = (src[cur.pos]! & 0x80) !== 0;
  const len = decodeInteger(src, end, cur, 7);
  if (len > end - cur.pos) throw new HpackError('Truncated string');
  if (len > maxLength) throw new HpackError('String too long');
  const start = cur.pos;
  cur.pos += len;
  if (huffman) return huffmanDecode(src, start, start + len);
  return latin1(src, start, start + len);
}

function latin1(src: Uint8Array, start: number, end: number): string {
  if (end - start < 64) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(src[i]!);
    return s;
  }
  return Buffer.from(src.buffer, src.byteOffset + start, end - start).toString('latin1');
}

/** Encode latin1 `s` as a §5.2 string literal, Huffman-coded when that is shorter. */
export function encodeString(s: string, dst: Uint8Array, pos: number, huffman = true): number {
  const h = huffman ? huffmanLength(s) : s.length;
  if (huffman && h < s.length) {
    pos = encodeInteger(h, 7, 0x80, dst, pos);
    return huffmanEncode(s, dst, pos);
  }
  pos = encodeInteger(s.length, 7, 0, dst, pos);
  for (let i = 0; i < s.length; i++) dst[pos++] = s.charCodeAt(i) & 0xff;
  return pos;
}

/** Bytes `encodeString` writes at most. */
export function stringLength(s: string): number {
  return integerLength(s.length, 7) + s.length;
}

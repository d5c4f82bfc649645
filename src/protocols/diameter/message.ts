/**
 * Diameter messages (RFC 6733 §3): the 20-byte header and a body of AVPs.
 *
 *   version(1) | message length(3) | flags R P E T (1) | command code(3)
 *   application id(4) | hop-by-hop id(4) | end-to-end id(4) | AVPs...
 */
import {
  avpsLength,
  decodeAvps,
  decodeError,
  writeAvp,
  type DecodeError,
  type OutAvp,
  type RawAvp,
} from './avp.js';

export const DIAMETER_VERSION = 1;
export const HEADER_LENGTH = 20;
/** The largest length the 24-bit Message Length field can carry. */
export const MAX_MESSAGE_LENGTH = 0xffffff;

/** Command flags (RFC 6733 §3): Request, Proxiable, Error, potentially reTransmitted. */
export const CMD_FLAG_R = 0x80;
export const CMD_FLAG_P = 0x40;
export const CMD_FLAG_E = 0x20;
export const CMD_FLAG_T = 0x10;
const CMD_FLAGS_RESERVED = 0x0f;

/** The fields of a message header other than version and length. */
export interface MessageHeader {
  readonly flags: number;
  readonly commandCode: number;
  readonly applicationId: number;
  readonly hopByHop: number;
  readonly endToEnd: number;
}

/** A message to encode. */
export interface OutMessage extends MessageHeader {
  readonly avps: readonly OutAvp[];
}

/** A decoded message; `bytes` is the whole message as received (AVP data are views into it). */
export interface DiameterMessage extends MessageHeader {
  readonly version: number;
  readonly avps: readonly RawAvp[];
  readonly bytes: Buffer;
}

/** The length in the header at `offset`, or -1 if fewer than 4 bytes are available. */
export function peekLength(buf: Uint8Array, offset = 0): number {
  if (buf.length - offset < 4) return -1;
  return (buf[offset + 1]! << 16) | (buf[offset + 2]! << 8) | buf[offset + 3]!;
}

/** Writes a 20-byte header at `off`. */
export function writeHeader(buf: Buffer, off: number, h: MessageHeader, length: number): void {
  buf.writeUInt32BE(length, off);
  buf[off] = DIAMETER_VERSION;
  buf.writeUInt32BE(h.commandCode, off + 4);
  buf[off + 4] = h.flags & 0xff;
  buf.writeUInt32BE(h.applicationId >>> 0, off + 8);
  buf.writeUInt32BE(h.hopByHop >>> 0, off + 12);
  buf.writeUInt32BE(h.endToEnd >>> 0, off + 16);
}

/** Encodes a message into a Buffer of exactly its length. */
export function encodeMessage(m: OutMessage): Buffer {
  const length = HEADER_LENGTH + avpsLength(m.avps);
  const buf = Buffer.allocUnsafe(length);
  writeHeader(buf, 0, m, length);
  let p = HEADER_LENGTH;
  for (const a of m.avps) p = writeAvp(buf, p, a);
  return buf;
}

/**
 * Checks the header of the message at the start of `buf` (RFC 6733 §3): version 1 (else 5011),
 * a length that is a multiple of 4, at least 20 and equal to `buf.length` (else 5015), and
 * consistent flags (3008: reserved bits, or E on a request).
 */
export function checkHeader(buf: Buffer): DecodeError | undefined {
  if (buf.length < HEADER_LENGTH) return decodeError(5015, 0, `message of ${buf.length} bytes`);
  if (buf[0] !== DIAMETER_VERSION) return decodeError(5011, 0, `version ${buf[0]}`);
  const length = peekLength(buf);
  if (length !== buf.length || length % 4 !== 0) {
    return decodeError(5015, 1, `message length ${length} for ${buf.length} bytes`);
  }
  const flags = buf[4]!;
  if (flags & CMD_FLAGS_RESERVED) return decodeError(3008, 4, `reserved command flags set`);
  if (flags & CMD_FLAG_R && flags & CMD_FLAG_E) return decodeError(3008, 4, 'E bit on a request');
  return undefined;
}

/** Decodes one whole message (header and top-level AVPs); never throws. */
export function decodeMessage(buf: Buffer): { kind: 'ok'; message: DiameterMessage } | DecodeError {
  const bad = checkHeader(buf);
  if (bad) return bad;
  const r = decodeAvps(buf, HEADER_LENGTH, buf.length);
  if (r.kind === 'error') return r;
  return {
    kind: 'ok',
    message: {
      version: buf[0]!,
      flags: buf[4]!,
      commandCode: buf.readUIntBE(5, 3),
      applicationId: buf.readUInt32BE(8),
      hopByHop: buf.readUInt32BE(12),
      endToEnd: buf.readUInt32BE(16),
      avps: r.avps,
      bytes: buf,
    },
  };
}

/** Reads just the header fields of a message (at least 20 bytes) without decoding its AVPs. */
export function readHeader(buf: Buffer): MessageHeader {
  return {
    flags: buf[4]!,
    commandCode: buf.readUIntBE(5, 3),
    applicationId: buf.readUInt32BE(8),
    hopByHop: buf.readUInt32BE(12),
    endToEnd: buf.readUInt32BE(16),
  };
}

export function isRequest(m: { readonly flags: number }): boolean {
  return (m.flags & CMD_FLAG_R) !== 0;
}

/**
 * HTTP/2 frame layout and registry values (RFC 9113 §4.1, §6, §7, §11.2-11.4).
 * Frame header: 24-bit length, 8-bit type, 8-bit flags, 1 reserved bit + 31-bit stream id.
 */

export const FRAME_HEADER_LENGTH = 9;

/** Frame types (§6). */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

/** Flags (§6). */
export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** Error codes (§7). */
export const ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const;

/** SETTINGS identifiers (§6.5.2). */
export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** The client connection preface (§3.4). */
export const CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Default and bounds of the flow-control window and frame size (§6.5.2, §6.9.1). */
export const DEFAULT_WINDOW = 65_535;
export const MAX_WINDOW = 0x7fffffff;
export const DEFAULT_MAX_FRAME_SIZE = 16_384;
export const MAX_MAX_FRAME_SIZE = 0xffffff;

/** A parsed frame header (§4.1). */
export interface FrameHeader {
  readonly length: number;
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
}

/** Parse the 9-byte frame header at `src[pos]` (the reserved bit is ignored, §4.1). */
export function parseFrameHeader(src: Uint8Array, pos: number): FrameHeader {
  return {
    length: (src[pos]! << 16) | (src[pos + 1]! << 8) | src[pos + 2]!,
    type: src[pos + 3]!,
    flags: src[pos + 4]!,
    streamId: readUint31(src, pos + 5),
  };
}

/** 31-bit value at `src[pos]`, reserved top bit dropped. */
export function readUint31(src: Uint8Array, pos: number): number {
  return (
    (((src[pos]! & 0x7f) << 24) | (src[pos + 1]! << 16) | (src[pos + 2]! << 8) | src[pos + 3]!) >>>
    0
  );
}

export function readUint32(src: Uint8Array, pos: number): number {
  return ((src[pos]! << 24) | (src[pos + 1]! << 16) | (src[pos + 2]! << 8) | src[pos + 3]!) >>> 0;
}

/** Write a frame header at `dst[pos]`; returns pos + 9. */
export function writeFrameHeader(
  dst: Uint8Array,
  pos: number,
  length: number,
  type: number,
  flags: number,
  streamId: number,
): number {
  dst[pos] = (length >>> 16) & 0xff;
  dst[pos + 1] = (length >>> 8) & 0xff;
  dst[pos + 2] = length & 0xff;
  dst[pos + 3] = type;
  dst[pos + 4] = flags;
  writeUint32(dst, pos + 5, streamId & 0x7fffffff);
  return pos + FRAME_HEADER_LENGTH;
}

export function writeUint32(dst: Uint8Array, pos: number, v: number): void {
  dst[pos] = (v >>> 24) & 0xff;
  dst[pos + 1] = (v >>> 16) & 0xff;
  dst[pos + 2] = (v >>> 8) & 0xff;
  dst[pos + 3] = v & 0xff;
}

/** One whole frame as a new Buffer (for tests and rare control frames). */
export function encodeFrame(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array = new Uint8Array(0),
): Buffer {
  const b = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + payload.length);
  writeFrameHeader(b, 0, payload.length, type, flags, streamId);
  b.set(payload, FRAME_HEADER_LENGTH);
  return b;
}

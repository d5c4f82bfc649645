/** SETTINGS exchange (RFC 9113 §6.5): ours as the server preface, the peer's applied and ACKed. */
import type { ResolvedLimits } from './connection-options.js';
import {
  ErrorCode,
  Flag,
  FrameType,
  FRAME_HEADER_LENGTH,
  MAX_MAX_FRAME_SIZE,
  MAX_WINDOW,
  DEFAULT_MAX_FRAME_SIZE,
  Setting,
  readUint32,
  writeFrameHeader,
  writeUint32,
} from './frame.js';
import type { OutputBuffer } from './output-buffer.js';
import type { StreamTable } from './stream-table.js';

/** The peer's settings that shape what we send. */
export interface PeerSettings {
  initialWindow: number;
  maxFrameSize: number;
}

/** Our SETTINGS (§3.4 server preface): push off, and our limits. */
export function writeServerSettings(out: OutputBuffer, l: ResolvedLimits): void {
  const entries: [number, number][] = [
    [Setting.ENABLE_PUSH, 0],
    [Setting.MAX_CONCURRENT_STREAMS, l.maxConcurrentStreams],
    [Setting.MAX_HEADER_LIST_SIZE, l.maxHeaderListSize],
  ];
  if (l.headerTableSize !== 4096) entries.push([Setting.HEADER_TABLE_SIZE, l.headerTableSize]);
  if (l.initialWindowSize !== 65_535)
    entries.push([Setting.INITIAL_WINDOW_SIZE, l.initialWindowSize]);
  const at = out.reserve(FRAME_HEADER_LENGTH + 6 * entries.length);
  writeFrameHeader(out.buf, at, 6 * entries.length, FrameType.SETTINGS, 0, 0);
  entries.forEach(([id, v], i) => {
    const p = at + FRAME_HEADER_LENGTH + 6 * i;
    out.buf[p] = id >> 8;
    out.buf[p + 1] = id & 0xff;
    writeUint32(out.buf, p + 2, v);
  });
}

/** Apply a SETTINGS frame and ACK it; the connection error code when it is invalid. */
export function handleSettings(
  flags: number,
  id: number,
  p: Uint8Array,
  peer: PeerSettings,
  out: OutputBuffer,
  streams: StreamTable,
): number | undefined {
  if (id !== 0) return ErrorCode.PROTOCOL_ERROR;
  if (flags & Flag.ACK) return p.length === 0 ? undefined : ErrorCode.FRAME_SIZE_ERROR;
  if (p.length % 6 !== 0) return ErrorCode.FRAME_SIZE_ERROR;
  for (let i = 0; i < p.length; i += 6) {
    const key = (p[i]! << 8) | p[i + 1]!;
    const v = readUint32(p, i + 2);
    switch (key) {
      case Setting.ENABLE_PUSH:
        if (v > 1) return ErrorCode.PROTOCOL_ERROR;
        break;
      case Setting.INITIAL_WINDOW_SIZE:
        if (v > MAX_WINDOW) return ErrorCode.FLOW_CONTROL_ERROR;
        if (!streams.adjustInitialWindow(v - peer.initialWindow))
          return ErrorCode.FLOW_CONTROL_ERROR;
        peer.initialWindow = v;
        break;
      case Setting.MAX_FRAME_SIZE:
        if (v < DEFAULT_MAX_FRAME_SIZE || v > MAX_MAX_FRAME_SIZE) return ErrorCode.PROTOCOL_ERROR;
        peer.maxFrameSize = v;
        break;
      default:
      // HEADER_TABLE_SIZE: our encoder keeps no state; others: advisory or unknown (ignored).
    }
  }
  out.frame(FrameType.SETTINGS, Flag.ACK, 0);
  return undefined;
}

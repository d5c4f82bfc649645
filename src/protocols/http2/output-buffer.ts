/**
 * Bytes to send, written frame by frame into large slabs and handed to the socket in one piece
 * per flush. Written bytes are never overwritten (the socket may still hold a view of them):
 * a full slab is set aside and a new one begun.
 */
import { FRAME_HEADER_LENGTH, FrameType, writeFrameHeader, writeUint32 } from './frame.js';

const SLAB = 64 * 1024;

export class OutputBuffer {
  private slab = Buffer.allocUnsafe(SLAB);
  /** Start of the unflushed bytes in the slab. */
  private start = 0;
  private pos = 0;
  /** Unflushed bytes of earlier slabs. */
  private full: Buffer[] = [];
  private fullBytes = 0;

  /** Unflushed byte count. */
  get length(): number {
    return this.fullBytes + this.pos - this.start;
  }

  /** The unflushed bytes as one buffer, or undefined when none. */
  take(): Buffer | undefined {
    if (this.pos === this.start && this.full.length === 0) return undefined;
    let out = this.slab.subarray(this.start, this.pos);
    if (this.full.length > 0) {
      this.full.push(out);
      out = Buffer.concat(this.full, this.fullBytes + out.length);
      this.full = [];
      this.fullBytes = 0;
    }
    this.start = this.pos;
    if (this.slab.length - this.pos < 1024) this.newSlab(SLAB);
    return out;
  }

  /** Room for `n` bytes at the returned position in `this.buf`. */
  reserve(n: number): number {
    if (this.slab.length - this.pos < n) {
      if (this.pos > this.start) {
        const rest = this.slab.subarray(this.start, this.pos);
        this.full.push(rest);
        this.fullBytes += rest.length;
      }
      this.newSlab(Math.max(SLAB, n));
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  get buf(): Buffer {
    return this.slab;
  }

  /** A frame with `payload` (or a part of it). */
  frame(
    type: number,
    flags: number,
    streamId: number,
    payload?: Uint8Array,
    from = 0,
    to = payload?.length ?? 0,
  ): void {
    const len = to - from;
    const at = this.reserve(FRAME_HEADER_LENGTH + len);
    writeFrameHeader(this.slab, at, len, type, flags, streamId);
    if (payload !== undefined && len > 0)
      this.slab.set(payload.subarray(from, to), at + FRAME_HEADER_LENGTH);
  }

  /** RST_STREAM (RFC 9113 §6.4). */
  rstStream(streamId: number, code: number): void {
    const at = this.reserve(FRAME_HEADER_LENGTH + 4);
    writeFrameHeader(this.slab, at, 4, FrameType.RST_STREAM, 0, streamId);
    writeUint32(this.slab, at + FRAME_HEADER_LENGTH, code);
  }

  /** WINDOW_UPDATE (§6.9). */
  windowUpdate(streamId: number, increment: number): void {
    const at = this.reserve(FRAME_HEADER_LENGTH + 4);
    writeFrameHeader(this.slab, at, 4, FrameType.WINDOW_UPDATE, 0, streamId);
    writeUint32(this.slab, at + FRAME_HEADER_LENGTH, increment);
  }

  /** GOAWAY (§6.8) without debug data. */
  goaway(lastStreamId: number, code: number): void {
    const at = this.reserve(FRAME_HEADER_LENGTH + 8);
    writeFrameHeader(this.slab, at, 8, FrameType.GOAWAY, 0, 0);
    writeUint32(this.slab, at + FRAME_HEADER_LENGTH, lastStreamId);
    writeUint32(this.slab, at + FRAME_HEADER_LENGTH + 4, code);
  }

  private newSlab(size: number): void {
    this.slab = Buffer.allocUnsafe(size);
    this.start = 0;
    this.pos = 0;
  }
}

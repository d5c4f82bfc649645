/**
 * Cuts a byte stream into HTTP/2 frames (RFC 9113 §4.1) whatever the split or coalescing of the
 * chunks: a frame wholly inside a chunk is handed out as a view of that chunk (no copy); only a
 * frame cut across chunks is gathered into a buffer of its own.
 */
import { FRAME_HEADER_LENGTH } from './frame.js';

/** Called per frame; `payload` is valid only during the call (it may view the caller's chunk). */
export type FrameHandler = (
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array,
) => void;

export class FrameReader {
  /** Bytes of an incomplete frame carried over from earlier chunks. */
  private carry: Buffer | undefined;
  private carryLen = 0;

  /**
   * `maxLength` is our SETTINGS_MAX_FRAME_SIZE; a longer frame calls `onTooLong` (§4.2:
   * FRAME_SIZE_ERROR) and the reader stops.
   */
  constructor(
    private readonly maxLength: number,
    private readonly onFrame: FrameHandler,
    private readonly onTooLong: (length: number) => void,
  ) {}

  private stopped = false;

  /** Stop handing out frames (after a connection error). */
  stop(): void {
    this.stopped = true;
    this.carry = undefined;
  }

  push(chunk: Uint8Array): void {
    if (this.stopped) return;
    const src = chunk;
    let pos = 0;
    if (this.carry !== undefined) {
      // Complete the carried frame: first its header, then its payload.
      for (;;) {
        let need = FRAME_HEADER_LENGTH;
        if (this.carryLen >= FRAME_HEADER_LENGTH) {
          const len = this.lengthAt(this.carry, 0);
          if (len > this.maxLength) return this.tooLong(len);
          need += len;
        }
        const take = Math.min(need - this.carryLen, src.length - pos);
        const carry = this.ensure(need);
        carry.set(src.subarray(pos, pos + take), this.carryLen);
        this.carryLen += take;
        pos += take;
        if (this.carryLen < need) return;
        if (need === FRAME_HEADER_LENGTH && this.lengthAt(carry, 0) > 0) continue;
        this.carry = undefined;
        this.carryLen = 0;
        this.emit(carry, 0, need);
        if (this.stopped) return;
        break;
      }
    }
    while (src.length - pos >= FRAME_HEADER_LENGTH) {
      const len = this.lengthAt(src, pos);
      if (len > this.maxLength) return this.tooLong(len);
      const end = pos + FRAME_HEADER_LENGTH + len;
      if (end > src.length) break;
      this.emit(src, pos, end);
      if (this.stopped) return;
      pos = end;
    }
    if (pos < src.length) {
      const rest = src.length - pos;
      this.ensure(rest).set(src.subarray(pos), 0);
      this.carryLen = rest;
    }
  }

  private lengthAt(buf: Uint8Array, pos: number): number {
    return (buf[pos]! << 16) | (buf[pos + 1]! << 8) | buf[pos + 2]!;
  }

  private tooLong(len: number): void {
    this.stop();
    this.onTooLong(len);
  }

  private ensure(size: number): Buffer {
    if (this.carry === undefined || this.carry.length < size) {
      const b = Buffer.allocUnsafe(Math.max(size, 64));
      if (this.carry !== undefined) this.carry.copy(b, 0, 0, this.carryLen);
      this.carry = b;
    }
    return this.carry;
  }

  private emit(src: Uint8Array, start: number, end: number): void {
    const flagsAt = start + 4;
    this.onFrame(
      src[start + 3]!,
      src[flagsAt]!,
      (src[start + 5]! & 0x7f) * 0x1000000 +
        (src[start + 6]! << 16) +
        (src[start + 7]! << 8) +
        src[start + 8]!,
      src.subarray(start + FRAME_HEADER_LENGTH, end),
    );
  }
}

/**
 * Stream reassembly for Diameter over TCP (RFC 6733 §2.1): TCP delivers bytes, not messages, so
 * chunks may hold part of a message or several. The framer cuts the stream at each header's
 * Message Length. A bad version or length leaves the stream unframeable: the framer reports it
 * once and stays failed; the caller closes the connection (RFC 6733 §3: 5015 / 5011).
 */
import { DIAMETER_VERSION, HEADER_LENGTH, MAX_MESSAGE_LENGTH, peekLength } from './message.js';

/** Why a stream cannot be framed. */
export interface FramerError {
  readonly kind: 'error';
  /** 5011 DIAMETER_UNSUPPORTED_VERSION or 5015 DIAMETER_INVALID_MESSAGE_LENGTH. */
  readonly resultCode: number;
  /** Offset in the whole stream of the bad header. */
  readonly streamOffset: number;
  readonly reason: string;
}

/** What one `push` produced: complete messages, and an error if framing stopped. */
export interface FramerOutput {
  readonly messages: Buffer[];
  readonly error?: FramerError;
}

export interface FramerOptions {
  /** Longest message accepted (default 1 MiB); longer ones fail with 5015. */
  readonly maxMessageLength?: number;
}

/** Reassembles whole messages from arbitrary TCP chunks. Whole messages are zero-copy views. */
export class DiameterFramer {
  private readonly max: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private consumed = 0;
  /** Length of the pending message once its first 4 bytes arrived, else -1. */
  private need = -1;
  private failed: FramerError | undefined;

  constructor(options: FramerOptions = {}) {
    this.max = Math.min(options.maxMessageLength ?? 1 << 20, MAX_MESSAGE_LENGTH);
  }

  /** The error that stopped framing, if any. */
  get error(): FramerError | undefined {
    return this.failed;
  }

  /** Bytes held waiting for the rest of a message. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): FramerOutput {
    const messages: Buffer[] = [];
    const error = this.pushEach(chunk, (buf, start, end) => {
      messages.push(buf.subarray(start, end));
    });
    return error ? { messages, error } : { messages };
  }

  /**
   * As `push`, without a Buffer per message: `onMessage` is called with each whole message as
   * `buf[start, end)` (valid during the call only; `buf` is the chunk itself, or a reassembly of
   * it with the bytes held from earlier chunks). Returns the error that stops framing, if any.
   */
  pushEach(
    chunk: Buffer,
    onMessage: (buf: Buffer, start: number, end: number) => void,
  ): FramerError | undefined {
    if (this.failed) return this.failed;
    let buf = chunk;
    if (this.pendingBytes > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.need < 0 && this.pendingBytes >= 4) {
        const head = Buffer.concat(this.pending, this.pendingBytes).subarray(0, 4);
        this.need = peekLength(head);
        const bad = this.check(head[0]!, this.need);
        if (bad) return bad;
      }
      if (this.need < 0 || this.pendingBytes < this.need) return undefined;
      buf = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.need = -1;
    }
    let off = 0;
    while (buf.length - off >= 4) {
      const len = peekLength(buf, off);
      const bad = this.check(buf[off]!, len);
      if (bad) return bad;
      if (buf.length - off < len) break;
      this.consumed += len;
      onMessage(buf, off, off + len);
      off += len;
    }
    if (off < buf.length) {
      this.pending.push(buf.subarray(off));
      this.pendingBytes = buf.length - off;
      if (this.pendingBytes >= 4) this.need = peekLength(buf, off);
    }
    return undefined;
  }

  private check(version: number, len: number): FramerError | undefined {
    if (version !== DIAMETER_VERSION) {
      return this.fail(5011, `unsupported Diameter version ${version}`);
    }
    if (len < HEADER_LENGTH || len % 4 !== 0 || len > this.max) {
      return this.fail(5015, `invalid message length ${len}`);
    }
    return undefined;
  }

  private fail(resultCode: number, reason: string): FramerError {
    this.failed = { kind: 'error', resultCode, streamOffset: this.consumed, reason };
    return this.failed;
  }
}

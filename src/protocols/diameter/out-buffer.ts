/**
 * The bytes a connection will send next: answers are written into it where they are encoded (no
 * Buffer per answer) and go out as one socket write. After a write the socket may still hold the
 * bytes (a write it could not finish at once): the writer then `detach`es, and the next answers
 * go into a new buffer. The memory is taken at the first write (an idle connection holds none).
 */
const EMPTY = Buffer.alloc(0);

export class OutBuffer {
  buf: Buffer = EMPTY;
  /** Bytes written so far. */
  at = 0;

  constructor(private readonly initial = 16_384) {}

  /** Room for `n` more bytes at `at`; the buffer to write them into (it may be a new one). */
  room(n: number): Buffer {
    if (this.at + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n, this.initial));
      this.buf.copy(next, 0, 0, this.at);
      this.buf = next;
    }
    return this.buf;
  }

  /** Appends whole bytes (a message encoded elsewhere). */
  push(b: Uint8Array): void {
    this.room(b.length).set(b, this.at);
    this.at += b.length;
  }

  /** The bytes written (a view of the buffer, not a copy), and empties the buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.at = 0;
    return out;
  }

  /** Leaves the current buffer to whoever holds a view of it; later bytes go to a fresh one. */
  detach(): void {
    this.buf = EMPTY;
    this.at = 0;
  }
}

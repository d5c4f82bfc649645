/**
 * Output sinks with backpressure: plain file, gzip, or a single-entry zip archive (written here:
 * deflate via zlib, ZIP64-ready local header + data descriptor, so entries above 4 GiB work).
 * Deterministic: gzip has no timestamp (mtime 0) and the zip entry carries a fixed DOS date.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Transform, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createDeflateRaw, createGzip, crc32 } from 'node:zlib';

export type Compression = 'plain' | 'gzip' | 'zip';

export interface Sink {
  /** Writes a chunk; resolves at once unless the stream asks to wait (backpressure). */
  write(chunk: Buffer): Promise<void> | undefined;
  end(): Promise<void>;
}

export interface SinkOptions {
  compression: Compression;
  /** zlib level for gzip and zip (1 = fastest). */
  level: number;
  /** Name of the entry inside a zip archive. */
  entryName: string;
  /** Entry date inside a zip archive (UTC). */
  entryDate: { year: number; month: number; day: number };
}

export function openSink(path: string, o: SinkOptions): Sink {
  const file = createWriteStream(path, { highWaterMark: 1 << 22 });
  let head: Writable;
  let done: Promise<void>;
  let before: ((chunk: Buffer) => void) | undefined;
  if (o.compression === 'plain') {
    head = file;
    done = finished(file);
  } else if (o.compression === 'gzip') {
    const gz = createGzip({ level: o.level, memLevel: 9, chunkSize: 1 << 18 });
    head = gz;
    done = pipeline(gz, file);
  } else {
    const zip = new ZipFramer(o.entryName, o.entryDate);
    const deflate = createDeflateRaw({ level: o.level, memLevel: 9, chunkSize: 1 << 18 });
    head = deflate;
    before = (c) => zip.update(c);
    done = pipeline(deflate, zip, file);
  }
  // Keep a rejected `done` from going unhandled before end() awaits it.
  done.catch(() => undefined);
  return {
    write(chunk: Buffer): Promise<void> | undefined {
      before?.(chunk);
      if (head.write(chunk)) return undefined;
      return once(head, 'drain').then(() => undefined);
    },
    async end(): Promise<void> {
      head.end();
      await done;
    },
  };
}

const U32 = 0xffffffff;

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

/** Frames a raw-deflate stream as a one-entry zip archive (APPNOTE 6.3.x, ZIP64 when needed). */
class ZipFramer extends Transform {
  private crc = 0;
  private usize = 0;
  private csize = 0;
  private started = false;
  private readonly name: Buffer;
  private readonly dosDate: number;

  constructor(name: string, d: { year: number; month: number; day: number }) {
    super();
    this.name = Buffer.from(name, 'utf8');
    this.dosDate = ((d.year - 1980) << 9) | (d.month << 5) | d.day;
  }

  /** Called with each uncompressed chunk before it enters the deflater. */
  update(chunk: Buffer): void {
    this.crc = crc32(chunk, this.crc);
    this.usize += chunk.length;
  }

  private localHeader(): Buffer {
    // Sizes are unknown up front: bit 3 (data descriptor) + a ZIP64 extra field with zero sizes.
    return Buffer.concat([
      u32(0x04034b50),
      u16(45),
      u16(0x0008),
      u16(8),
      u16(0),
      u16(this.dosDate),
      u32(0),
      u32(U32),
      u32(U32),
      u16(this.name.length),
      u16(20),
      this.name,
      u16(0x0001),
      u16(16),
      u64(0),
      u64(0),
    ]);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (!this.started) {
      this.started = true;
      this.push(this.localHeader());
    }
    this.csize += chunk.length;
    this.push(chunk);
    cb();
  }

  override _flush(cb: (e?: Error | null) => void): void {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      parts.push(this.localHeader());
    }
    const localLen = 30 + this.name.length + 20;
    // ZIP64 data descriptor (the local header has a ZIP64 extra field).
    parts.push(u32(0x08074b50), u32(this.crc), u64(this.csize), u64(this.usize));
    const cdOffset = localLen + this.csize + 24;
    const big = this.csize >= U32 || this.usize >= U32;
    const extra = big
      ? Buffer.concat([u16(0x0001), u16(16), u64(this.usize), u64(this.csize)])
      : Buffer.alloc(0);
    const cd = Buffer.concat([
      u32(0x02014b50),
      u16(45),
      u16(45),
      u16(0x0008),
      u16(8),
      u16(0),
      u16(this.dosDate),
      u32(this.crc),
      u32(big ? U32 : this.csize),
      u32(big ? U32 : this.usize),
      u16(this.name.length),
      u16(extra.length),
      u16(0),
      u16(0),
      u16(0),
      u32(0),
      u32(0),
      this.name,
      extra,
    ]);
    parts.push(cd);
    if (cdOffset >= U32) {
      const z64Offset = cdOffset + cd.length;
      parts.push(
        u32(0x06064b50),
        u64(44),
        u16(45),
        u16(45),
        u32(0),
        u32(0),
        u64(1),
        u64(1),
        u64(cd.length),
        u64(cdOffset),
        u32(0x07064b50),
        u32(0),
        u64(z64Offset),
        u32(1),
      );
    }
    parts.push(
      u32(0x06054b50),
      u16(0),
      u16(0),
      u16(1),
      u16(1),
      u32(cd.length),
      u32(cdOffset >= U32 ? U32 : cdOffset),
      u16(0),
    );
    this.push(Buffer.concat(parts));
    cb();
  }
}

/**
 * A streaming zip writer (PKWARE APPNOTE 6.3.x): entries written one after another, each deflated
 * through node:zlib with its CRC-32 computed on the way, so memory stays flat in the entry size.
 *
 * Every local header carries bit 3 (sizes in a data descriptor after the data) and a ZIP64 extra
 * field with zero sizes, so the data descriptor always holds 8-byte sizes (APPNOTE 4.3.9.2) and an
 * entry may grow past 4 GiB without knowing it in advance. The central directory uses ZIP64 fields
 * only where a value does not fit in 32 bits (or always, with `zip64: 'always'`, for tests).
 * Deterministic: entries carry the given date (UTC), no host-dependent fields.
 *
 * @example
 * const zip = openZipFile('/tmp/a.zip');
 * const e = zip.addEntry('a.csv', { date: new Date('2026-01-31T00:00:00Z') });
 * await e.write(Buffer.from('imei\n'));
 * await e.end();
 * await zip.close();
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';

export interface ZipWriterOptions {
  /** `auto`: ZIP64 fields only when needed; `always`: every central field in ZIP64 form. */
  readonly zip64?: 'auto' | 'always';
  /** Called with every byte written to the archive, in order (e.g. to hash it on the way). */
  readonly onData?: (chunk: Buffer) => void;
}

export interface ZipEntryOptions {
  /** Entry modification time, taken in UTC (default 1980-01-01 00:00, the DOS epoch). */
  readonly date?: Date;
  /** zlib level, 0-9 (default 6). */
  readonly level?: number;
}

export interface ZipEntryInfo {
  readonly name: string;
  readonly crc32: number;
  readonly size: number;
  readonly compressedSize: number;
  readonly offset: number;
}

export interface ZipEntryWriter {
  /** Writes uncompressed bytes; resolves at once unless the deflater asks to wait (backpressure). */
  write(chunk: Buffer): Promise<void> | undefined;
  /** Flushes the entry and writes its data descriptor. */
  end(): Promise<ZipEntryInfo>;
}

const U16 = 0xffff;
const U32 = 0xffffffff;
const VERSION = 45; // 4.5: ZIP64
const MADE_BY = (3 << 8) | VERSION; // 3: Unix, so external attributes carry a file mode
const FILE_MODE = 0o100644;

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

function dosDateTime(d: Date): { date: number; time: number } {
  const year = d.getUTCFullYear();
  if (year < 1980) return { date: (1 << 5) | 1, time: 0 };
  return {
    date: (Math.min(year - 1980, 127) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

interface Central extends ZipEntryInfo {
  readonly nameBytes: Buffer;
  readonly flags: number;
  readonly date: number;
  readonly time: number;
}

/** Writes a zip archive to any writable stream; see {@link openZipFile} for a file. */
export class ZipWriter {
  private offset = 0;
  private readonly entries: Central[] = [];
  private busy = false;
  private closed = false;
  private failure: Error | undefined;

  constructor(
    private readonly out: Writable,
    private readonly opts: ZipWriterOptions = {},
  ) {
    out.on('error', (e: Error) => (this.failure ??= e));
  }

  /** Bytes written so far (the archive size once closed). */
  get bytes(): number {
    return this.offset;
  }

  private async put(b: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.offset += b.length;
    this.opts.onData?.(b);
    if (!this.out.write(b)) await once(this.out, 'drain');
  }

  /** Starts the next entry; the previous one must have ended. */
  addEntry(name: string, o: ZipEntryOptions = {}): ZipEntryWriter {
    if (this.busy) throw new Error(`Cannot add zip entry "${name}": the previous entry is open`);
    if (this.closed) throw new Error(`Cannot add zip entry "${name}": the archive is closed`);
    this.busy = true;
    const nameBytes = Buffer.from(name, 'utf8');
    const flags = 0x0008 | (/^[\x20-\x7e]*$/.test(name) ? 0 : 0x0800); // 11: UTF-8 name
    const { date, time } = dosDateTime(o.date ?? new Date(Date.UTC(1980, 0, 1)));
    const offset = this.offset;
    const header = Buffer.concat([
      u32(0x04034b50),
      u16(VERSION),
      u16(flags),
      u16(8), // deflate
      u16(time),
      u16(date),
      u32(0), // crc, sizes: in the data descriptor
      u32(U32),
      u32(U32),
      u16(nameBytes.length),
      u16(20),
      nameBytes,
      u16(0x0001),
      u16(16),
      u64(0),
      u64(0),
    ]);
    const started = this.put(header);
    const deflate = createDeflateRaw({ level: o.level ?? 6, memLevel: 9, chunkSize: 1 << 18 });
    let crc = 0;
    let size = 0;
    let csize = 0;
    deflate.on('data', (c: Buffer) => {
      csize += c.length;
      this.offset += c.length;
      this.opts.onData?.(c);
      if (!this.out.write(c)) {
        deflate.pause();
        this.out.once('drain', () => deflate.resume());
      }
    });
    const onOutError = (e: Error) => deflate.destroy(e);
    this.out.once('error', onOutError);
    const ended = once(deflate, 'end');
    ended.catch(() => undefined);
    return {
      write: (chunk: Buffer) => {
        crc = crc32(chunk, crc);
        size += chunk.length;
        if (deflate.write(chunk)) return undefined;
        return once(deflate, 'drain').then(() => undefined);
      },
      end: async (): Promise<ZipEntryInfo> => {
        await started;
        deflate.end();
        await ended;
        this.out.off('error', onOutError);
        await this.put(Buffer.concat([u32(0x08074b50), u32(crc), u64(csize), u64(size)]));
        const info = { name, crc32: crc, size, compressedSize: csize, offset };
        this.entries.push({ ...info, nameBytes, flags, date, time });
        this.busy = false;
        return info;
      },
    };
  }

  private centralRecord(e: Central): Buffer {
    const all = this.opts.zip64 === 'always';
    const big = (n: number) => all || n >= U32;
    const extra: Buffer[] = [];
    if (big(e.size)) extra.push(u64(e.size));
    if (big(e.compressedSize)) extra.push(u64(e.compressedSize));
    if (big(e.offset)) extra.push(u64(e.offset));
    const x = extra.length ? Buffer.concat([u16(0x0001), u16(extra.length * 8), ...extra]) : null;
    return Buffer.concat([
      u32(0x02014b50),
      u16(MADE_BY),
      u16(VERSION),
      u16(e.flags),
      u16(8),
      u16(e.time),
      u16(e.date),
      u32(e.crc32),
      u32(big(e.compressedSize) ? U32 : e.compressedSize),
      u32(big(e.size) ? U32 : e.size),
      u16(e.nameBytes.length),
      u16(x ? x.length : 0),
      u16(0), // comment
      u16(0), // disk
      u16(0), // internal attributes
      u32(FILE_MODE * 0x10000),
      u32(big(e.offset) ? U32 : e.offset),
      e.nameBytes,
      ...(x ? [x] : []),
    ]);
  }

  /** Gives up: destroys the output (after a failure; the partial archive is the caller's to remove). */
  abort(): void {
    this.closed = true;
    this.out.destroy();
  }

  /** Writes the central directory and ends the output; resolves once it is flushed. */
  async close(): Promise<{ bytes: number; entries: number }> {
    if (this.busy) throw new Error('Cannot close the zip archive: an entry is open');
    if (this.closed) throw new Error('The zip archive is already closed');
    this.closed = true;
    const cdOffset = this.offset;
    for (const e of this.entries) await this.put(this.centralRecord(e));
    const cdSize = this.offset - cdOffset;
    const n = this.entries.length;
    const z64 = this.opts.zip64 === 'always' || n >= U16 || cdOffset >= U32 || cdSize >= U32;
    if (z64) {
      const z64Offset = this.offset;
      await this.put(
        Buffer.concat([
          u32(0x06064b50),
          u64(44),
          u16(MADE_BY),
          u16(VERSION),
          u32(0),
          u32(0),
          u64(n),
          u64(n),
          u64(cdSize),
          u64(cdOffset),
          u32(0x07064b50), // ZIP64 end of central directory locator
          u32(0),
          u64(z64Offset),
          u32(1),
        ]),
      );
    }
    await this.put(
      Buffer.concat([
        u32(0x06054b50),
        u16(0),
        u16(0),
        u16(z64 ? U16 : n),
        u16(z64 ? U16 : n),
        u32(z64 ? U32 : cdSize),
        u32(z64 ? U32 : cdOffset),
        u16(0),
      ]),
    );
    this.out.end();
    await finished(this.out);
    if (this.failure) throw this.failure;
    return { bytes: this.offset, entries: n };
  }
}

/** Opens a zip archive for writing at `path` (created or truncated). */
export function openZipFile(path: string, opts: ZipWriterOptions = {}): ZipWriter {
  return new ZipWriter(createWriteStream(path, { highWaterMark: 1 << 22 }), opts);
}

/**
 * Output sinks with backpressure: plain file, gzip, or a single-entry zip archive (the streaming
 * ZIP64-ready writer of src/listgen/zip-writer.ts, so entries above 4 GiB work).
 * Deterministic: gzip has no timestamp (mtime 0) and the zip entry carries a fixed date.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { openZipFile } from '../../listgen/zip-writer.js';

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
  if (o.compression === 'zip') {
    const zip = openZipFile(path);
    const { year, month, day } = o.entryDate;
    const entry = zip.addEntry(o.entryName, {
      level: o.level,
      date: new Date(Date.UTC(year, month - 1, day)),
    });
    return {
      write: (chunk) => entry.write(chunk),
      async end(): Promise<void> {
        await entry.end();
        await zip.close();
      },
    };
  }
  const file = createWriteStream(path, { highWaterMark: 1 << 22 });
  let head: Writable;
  let done: Promise<void>;
  if (o.compression === 'plain') {
    head = file;
    done = finished(file);
  } else {
    const gz = createGzip({ level: o.level, memLevel: 9, chunkSize: 1 << 18 });
    head = gz;
    done = pipeline(gz, file);
  }
  // Keep a rejected `done` from going unhandled before end() awaits it.
  done.catch(() => undefined);
  return {
    write(chunk: Buffer): Promise<void> | undefined {
      if (head.write(chunk)) return undefined;
      return once(head, 'drain').then(() => undefined);
    },
    async end(): Promise<void> {
      head.end();
      await done;
    },
  };
}

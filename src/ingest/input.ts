/**
 * Opens an input file as a stream of decompressed byte chunks: plain, gzip or zip (first entry),
 * detected by magic bytes, not by name. Memory stays flat in the file size. The SHA-256 of the
 * decompressed bytes is computed on the way (duplicate-import detection).
 */
import { createHash } from 'node:crypto';
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export type Compression = 'plain' | 'gzip' | 'zip';

export interface InputStream {
  readonly path: string;
  readonly compression: Compression;
  /** Size of the file on disk. */
  readonly fileBytes: number;
  /** Decompressed chunks. */
  readonly chunks: AsyncIterable<Buffer>;
  /** Bytes read from disk so far (for progress and MB/s). */
  readBytes(): number;
  /** Hex SHA-256 of all decompressed bytes; valid once `chunks` is exhausted. */
  sha256(): string;
}

export function detectCompression(path: string): Compression {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (n >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
    return 'plain';
  } finally {
    closeSync(fd);
  }
}

function openZipEntry(path: string): Promise<{ stream: Readable; name: string }> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('cannot open zip'));
      zip.on('error', reject);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) return reject(e2 ?? new Error('cannot read zip entry'));
          resolve({ stream, name: entry.fileName });
        });
      });
      zip.on('end', () => reject(new Error('zip archive holds no file')));
      zip.readEntry();
    });
  });
}

export function openInput(path: string, highWaterMark = 1 << 20): InputStream {
  const compression = detectCompression(path);
  const fileBytes = statSync(path).size;
  const hash = createHash('sha256');
  let read = 0;
  let digest: string | undefined;

  async function* chunks(): AsyncGenerator<Buffer> {
    let source: Readable;
    if (compression === 'zip') {
      // yauzl reads the compressed entry itself; count decompressed progress against entry size.
      source = (await openZipEntry(path)).stream;
    } else {
      const raw = createReadStream(path, { highWaterMark });
      raw.on('data', (b) => (read += (b as Buffer).length));
      source = compression === 'gzip' ? raw.pipe(createGunzip({ chunkSize: 1 << 18 })) : raw;
    }
    for await (const chunk of source) {
      const b = chunk as Buffer;
      if (compression === 'zip') read = Math.min(fileBytes, read + b.length);
      hash.update(b);
      yield b;
    }
    digest = hash.digest('hex');
    read = fileBytes;
  }

  return {
    path,
    compression,
    fileBytes,
    chunks: chunks(),
    readBytes: () => read,
    sha256: () => {
      if (digest === undefined) throw new Error('sha256() called before the input was read');
      return digest;
    },
  };
}

/** Reads zip archives with yauzl, streaming: entry names, and one entry's bytes chunk by chunk. */
import yauzl from 'yauzl';

export interface ZipListing {
  readonly names: readonly string[];
}

function open(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) =>
      err || !zip ? reject(err ?? new Error(`Cannot open zip ${path}`)) : resolve(zip),
    ),
  );
}

/**
 * Lists the archive's entries and, for the entry named `read` (if any), passes its decompressed
 * bytes to `onChunk` as they arrive. Rejects on a broken archive or entry.
 */
export async function readZip(
  path: string,
  read?: string,
  onChunk?: (chunk: Buffer) => void,
): Promise<ZipListing> {
  const zip = await open(path);
  const names: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        if (entry.fileName !== read || !onChunk) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error(`Cannot read ${entry.fileName}`));
          stream.on('data', (c: Buffer) => onChunk(c));
          stream.on('error', reject);
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return { names };
}

/** The whole decompressed content of one entry (for tests and small files). */
export async function readZipEntry(path: string, name: string): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  const { names } = await readZip(path, name, (c) => parts.push(c));
  return names.includes(name) ? Buffer.concat(parts) : undefined;
}

/**
 * Import of one list file (GSMA TAC database, stolen, registration, pairing, golden, barred,
 * barred TAC, monitoring), full or delta: stream -> delimited records -> per-row rules -> LIST
 * SPOOL file -> `Store.commitList`. A file with any bad row is rejected whole, before the store
 * is touched; the same content (SHA-256 of the decompressed bytes) imported before is a
 * `duplicate`. The spool file is always removed.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { ceirError, CeirFailure, type CeirError } from '../../core/errors.js';
import type { ImportRecord, ListKind, Store } from '../../core/ports/store.js';
import { openInput, type InputStream } from '../input.js';
import type { ImportOutcome, ImportProgress } from '../outcome.js';
import { readDelimited, resolveHeader } from '../delimited-reader.js';
import { csvField } from '../../core/csv-field.js';
import { LIST_SPECS, requiredColumns, rowParser, type ListRow } from './list-sources.js';

export interface ListImportOptions {
  readonly list: ListKind;
  readonly file: string;
  readonly mode: 'full' | 'delta';
  readonly force: boolean;
  /** A full list smaller than this fraction of the current one is refused (unless forced). */
  readonly shrinkMinRatio: number;
  /** Directory for the temporary spool file. */
  readonly spoolDir: string;
  /** The import instant (tests); default: the clock. */
  readonly now?: Date;
  readonly onProgress?: (p: ImportProgress) => void;
}

export const SPOOL_HEADER = 'line,change_type,key,imei_norm,tac,imsi,msisdn,status,caps,attrs\n';

/** One LIST SPOOL line (with its LF). */
export function spoolLine(line: number, r: ListRow): string {
  return (
    `${line},${r.changeType},${csvField(r.key)},${r.imeiNorm},${r.tac},${r.imsi},${r.msisdn},` +
    `${csvField(r.status)},${r.caps ?? ''},"${JSON.stringify(r.attrs).replaceAll('"', '""')}"\n`
  );
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function close(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
}

interface ReadResult {
  readonly rows: number;
  readonly invalid: number;
  readonly firstError?: CeirError;
}

/** Reads, checks and spools the whole file; the first bad row is kept, the rest counted. */
async function spoolFile(
  input: InputStream,
  o: ListImportOptions,
  out: WriteStream,
): Promise<ReadResult> {
  const spec = LIST_SPECS[o.list];
  let parse: ReturnType<typeof rowParser> | undefined;
  let rows = 0;
  let invalid = 0;
  let firstError: CeirError | undefined;
  for await (const batch of readDelimited(input.chunks, spec.delimiter, o.file)) {
    let text = '';
    for (const rec of batch) {
      if (parse === undefined) {
        if (firstError) continue; // bad header: read on only for the checksum
        const h = resolveHeader(rec.fields, requiredColumns(spec, o.mode), {
          file: o.file,
          line: rec.line,
        });
        if (h.kind !== 'ok') firstError = h;
        else parse = rowParser(spec, h.value, o.mode);
        continue;
      }
      rows++;
      const r = parse(rec.fields);
      if (r.kind === 'ok') {
        if (!firstError) text += spoolLine(rec.line, r.row);
        continue;
      }
      invalid++;
      firstError ??= ceirError(
        'CEIR_ERR_PARSE',
        r.message,
        { file: o.file, line: rec.line, ...(r.field !== undefined ? { field: r.field } : {}) },
        r.rule,
      );
    }
    if (text !== '') await write(out, text);
    o.onProgress?.({ rows, bytesRead: input.readBytes(), fileBytes: input.fileBytes });
  }
  if (parse === undefined && !firstError) {
    firstError = ceirError(
      'CEIR_ERR_PARSE',
      `Cannot read header of "${o.file}": the file is empty`,
      { file: o.file, line: 1 },
      'header_columns',
    );
  }
  return { rows, invalid, ...(firstError ? { firstError } : {}) };
}

/** Imports one list file; every expected failure is a `rejected` outcome, never a throw. */
export async function importList(store: Store, o: ListImportOptions): Promise<ImportOutcome> {
  const t0 = Date.now();
  const startedAt = (o.now ?? new Date()).toISOString();
  const durationMs = (): number => Date.now() - t0;
  const rejected = (error: CeirError, rows: number): ImportOutcome => ({
    kind: 'rejected',
    error,
    gates: [],
    rows,
    durationMs: durationMs(),
  });

  mkdirSync(o.spoolDir, { recursive: true });
  const spool = join(o.spoolDir, `list-${o.list}-${randomUUID()}.csv`);
  try {
    let input: InputStream;
    let read: ReadResult;
    try {
      input = openInput(o.file);
      const out = createWriteStream(spool);
      try {
        await write(out, SPOOL_HEADER);
        read = await spoolFile(input, o, out);
      } finally {
        await close(out);
      }
    } catch (e) {
      if (e instanceof CeirFailure) return rejected(e.error, 0);
      const why = e instanceof Error ? e.message : String(e);
      return rejected(
        ceirError('CEIR_ERR_INPUT_FILE', `Cannot read "${o.file}": ${why}`, { file: o.file }),
        0,
      );
    }
    if (read.firstError) {
      const e = read.firstError;
      const more = read.invalid > 1 ? ` (${read.invalid - 1} more bad rows)` : '';
      return rejected({ ...e, message: e.message + more }, read.rows);
    }

    const sha256 = input.sha256();
    const previous = await store.findImportBySha256(o.list, sha256);
    if (previous) return { kind: 'duplicate', previous, durationMs: durationMs() };

    const record: ImportRecord = {
      id: randomUUID(),
      source: o.list,
      file: o.file,
      sha256,
      mode: o.mode,
      rows: read.rows,
      accepted: read.rows,
      gates: [],
      startedAt,
      finishedAt: (o.now ?? new Date()).toISOString(),
    };
    const outcome = await store.commitList({
      record,
      list: o.list,
      spool,
      shrinkMinRatio: o.shrinkMinRatio,
      force: o.force,
    });
    if (outcome.kind !== 'ok') return rejected(outcome, read.rows);
    return {
      kind: 'imported',
      record,
      counts: { rows: read.rows, ...outcome.value },
      durationMs: durationMs(),
    };
  } finally {
    rmSync(spool, { force: true });
  }
}

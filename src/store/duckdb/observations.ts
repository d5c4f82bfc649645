/**
 * The real-time observation store (`core/ports/observation-store.ts`): check observations and
 * clone flags appended in batches. A batch goes through a temp CSV spool read by `read_csv` in
 * one INSERT: a few hundred milliseconds for 100k rows, where row-by-row INSERTs take minutes.
 */
import { open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { observedImeiValue } from '../../core/observations/observation-batch.js';
import { observationCsvStream } from '../../core/observations/observation-csv.js';
import type { CloneFlagRecord } from '../../core/ports/observation-store.js';
import { type DuckDb, lit } from './duckdb-database.js';

let spoolNo = 0;

/**
 * Writes `pieces` (each awaited, so that the event loop runs between them) to a temp spool
 * beside the database, runs `fn` with its path, removes it.
 */
async function withSpool(
  db: DuckDb,
  pieces: Iterable<Uint8Array>,
  fn: (path: string) => Promise<void>,
) {
  const path = join(dirname(db.path), 'tmp', `spool-${process.pid}-${++spoolNo}.csv`);
  try {
    const fh = await open(path, 'w');
    try {
      for (const piece of pieces) await fh.write(piece);
    } finally {
      await fh.close();
    }
    await fn(path);
  } finally {
    await rm(path, { force: true });
  }
}

/**
 * Appends the checks of observation batches (`core/observations/observation-csv.ts`: malformed
 * IMEIs are skipped, they cannot be clones of a 14-digit IMEI; an IMSI that is not 1-15 digits
 * is stored as NULL). The spool is written in pieces (`observationCsvStream`): this runs on the
 * `ceir serve` primary's event loop. Returns the rows written.
 */
export async function appendObservations(
  db: DuckDb,
  batches: readonly Uint8Array[],
): Promise<number> {
  const csv = observationCsvStream(batches);
  await withSpool(db, csv.bytes, async (path) => {
    if (csv.rows() === 0) return;
    await db.run(
      `INSERT INTO check_observations
        SELECT epoch_ms(t), imei, imsi, coalesce(peer, ''), coalesce(iface, ''),
               coalesce(result, '')
          FROM read_csv(${lit(path)}, header = false, delim = ',', quote = '"', escape = '"',
            nullstr = '', columns = {'t': 'BIGINT', 'imei': 'BIGINT', 'imsi': 'BIGINT',
            'peer': 'VARCHAR', 'iface': 'VARCHAR', 'result': 'VARCHAR'})`,
    );
  });
  return csv.rows();
}

/** CSV lines (no header) of clone flags: imei, flagged, first and last seen (epoch ms), imsis, peers. */
export function cloneFlagLines(flags: readonly CloneFlagRecord[]): string[] {
  const parts: string[] = [];
  for (const f of flags) {
    const imei = observedImeiValue(f.imei);
    if (imei < 0) continue;
    const ms = [f.time, f.firstSeen, f.lastSeen].map(Math.trunc).join(',');
    parts.push(`${imei},${ms},${f.imsis},${f.peers}\n`);
  }
  return parts;
}

/** Appends clone flags (malformed IMEIs skipped). Returns the rows written. */
export async function appendCloneFlags(
  db: DuckDb,
  flags: readonly CloneFlagRecord[],
): Promise<number> {
  const parts = cloneFlagLines(flags);
  if (parts.length === 0) return 0;
  await withSpool(db, [Buffer.from(parts.join(''), 'utf8')], (path) =>
    db
      .run(
        `INSERT INTO realtime_clone_flags
        SELECT imei, epoch_ms(t), imsis, peers, epoch_ms(first_seen), epoch_ms(last_seen)
          FROM read_csv(${lit(path)}, header = false, delim = ',', nullstr = '',
            columns = {'imei': 'BIGINT', 't': 'BIGINT', 'first_seen': 'BIGINT',
            'last_seen': 'BIGINT', 'imsis': 'INTEGER', 'peers': 'INTEGER'})`,
      )
      .then(() => undefined),
  );
  return parts.length;
}

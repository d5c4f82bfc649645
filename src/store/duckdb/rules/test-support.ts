/**
 * Test support of the SQL-vs-oracle equivalence tests: a fresh DuckDB store in a temp dir, a
 * writer of triplets through the store's own commit path (spool files), and a comparison of
 * two IMEI sets that names every IMEI on one side only.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digitsToKey } from '../../../core/ids/index.js';
import type { ImportRecord } from '../../../core/ports/store.js';
import { DuckDbStore } from '../duckdb-store.js';

export interface TempStore {
  readonly store: DuckDbStore;
  readonly dir: string;
  cleanup(): Promise<void>;
}

export async function openTempStore(prefix: string): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = await DuckDbStore.open({
    dataDir: join(dir, 'db'),
    memoryLimit: '1GB',
    threads: 2,
  });
  await store.migrate();
  return {
    store,
    dir,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One triplet to store: identifiers as texts (digits of up to 15 are stored as numbers). */
export interface RawTriplet {
  readonly operator: string;
  /** `YYYY-MM-01`. */
  readonly month: string;
  readonly imei: string;
  readonly imsi: string | null;
  readonly msisdn: string | null;
  readonly dayMask: number;
  readonly ratMask: number;
}

const SPOOL_HEADER =
  'month,imei,imei_text,imsi,imsi_text,msisdn,msisdn_text,first_day,last_day,day_mask,rat_mask\n';

const csv = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** `key,text` spool fields of an IMSI/MSISDN: `1<digits>` for up to 15 digits, else the text. */
function digitFields(v: string | null): string {
  if (v === null) return ',';
  return /^[0-9]{1,15}$/.test(v) ? `${digitsToKey(v)},` : `,${csv(v)}`;
}

function spoolLine(t: RawTriplet): string {
  const imei = /^[0-9]{14}$/.test(t.imei) ? `${Number(t.imei)},` : `,${csv(t.imei)}`;
  let first = 1;
  let last = 1;
  for (let d = 31; d >= 1; d--) if (t.dayMask & (1 << (d - 1))) first = d;
  for (let d = 1; d <= 31; d++) if (t.dayMask & (1 << (d - 1))) last = d;
  return `${t.month},${imei},${digitFields(t.imsi)},${digitFields(t.msisdn)},${first},${last},${t.dayMask},${t.ratMask}\n`;
}

let commitNo = 0;

/** Writes triplets through `commitOperatorDump` (one commit per operator), as ingest does. */
export async function commitTriplets(
  ts: TempStore,
  triplets: readonly RawTriplet[],
): Promise<void> {
  const byOp = new Map<string, RawTriplet[]>();
  for (const t of triplets) byOp.set(t.operator, [...(byOp.get(t.operator) ?? []), t]);
  for (const [operator, rows] of byOp) {
    const id = `test-${process.pid}-${++commitNo}`;
    const spool = join(ts.dir, `${id}.csv`);
    writeFileSync(spool, SPOOL_HEADER + rows.map(spoolLine).join(''));
    const now = new Date().toISOString();
    const record: ImportRecord = {
      id,
      source: 'operator',
      file: `${id}.csv`,
      sha256: id,
      mode: 'full',
      operator,
      rows: rows.length,
      accepted: rows.length,
      gates: [],
      startedAt: now,
      finishedAt: now,
    };
    await ts.store.commitOperatorDump({ record, tripletSpools: [spool], daily: [] });
    rmSync(spool);
  }
}

/** Asserts two sets of IMEIs are equal, naming what each side has alone. */
export function assertSameImeis(
  what: string,
  sql: readonly string[],
  oracle: Iterable<string>,
): void {
  const a = new Set(sql);
  const b = new Set(oracle);
  const onlySql = [...a].filter((x) => !b.has(x)).sort();
  const onlyOracle = [...b].filter((x) => !a.has(x)).sort();
  if (onlySql.length === 0 && onlyOracle.length === 0 && a.size === sql.length) return;
  assert.fail(
    `${what}: SQL and oracle differ (SQL ${a.size}, oracle ${b.size}${a.size !== sql.length ? ', SQL has duplicates' : ''})\n` +
      `  only in SQL (${onlySql.length}): ${onlySql.slice(0, 20).join(' ')}\n` +
      `  only in oracle (${onlyOracle.length}): ${onlyOracle.slice(0, 20).join(' ')}`,
  );
}

/**
 * Test helpers for operator-dump ingest: a real DuckDB store in a temp dir, dump writers
 * (plain, gzip, zip), a small GSMA TAC database, and an independent Map-based oracle of the
 * monthly triplets a dump must produce (domain.md section 3).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { QualityGates } from '../../core/deployment.js';
import { normaliseImei } from '../../core/ids/imei.js';
import { parseRatList } from '../../core/ids/rat.js';
import type { ImeiSighting, ImportRecord, StoreCounts } from '../../core/ports/store.js';
import type { ImportOutcome } from '../outcome.js';
import { importList } from '../lists/import-list.js';
import { importOperatorDump, type OperatorDumpOptions } from './import-operator-dump.js';
// Test wiring only: ingest reaches the store through the port; tests run the real adapter.
// eslint-disable-next-line no-restricted-imports
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
// eslint-disable-next-line no-restricted-imports
import { DEMO_CONFIG_PATH, loadConfig } from '../../config/loader.js';
// eslint-disable-next-line no-restricted-imports
import type { Config } from '../../config/schema.js';
// eslint-disable-next-line no-restricted-imports
import { openSink } from '../../apps/generate/sink.js';

function demoConfig(): Config {
  const r = loadConfig(DEMO_CONFIG_PATH);
  if (r.kind !== 'ok') throw new Error(`demo config: ${r.message}`);
  return r.value;
}

/** The demo config: MCC 001, country code 999, alpha 00101, beta 00102/00103, gamma 00104. */
export const CONFIG: Config = demoConfig();
/** The default gates (domain.md section 3). */
export const DEFAULT_GATES: QualityGates = CONFIG.gates;
/** Gates that let any row through (ratio limits 1, no leading-zero check); history skipped. */
export const LAX_GATES: QualityGates = {
  ...CONFIG.gates,
  null_imei_max: 1,
  null_imsi_max: 1,
  null_msisdn_max: 1,
  null_rat_max: 1,
  unclean_imei_max: 1,
  imsi_length_max: 1,
  imsi_outside_country_max: 1,
  msisdn_outside_country_max: 1,
  imsi_outside_operator_max: 1,
  leading_zero_check: false,
  history_min_ratio: 0,
};

export const HEADER = 'date,imei,imsi,msisdn,rat';

/** One dump row: date, imei, imsi, msisdn, rat fields as written. */
export type Row = readonly [date: string, imei: string, imsi: string, msisdn: string, rat: string];

/** A dump's text: the header and rows, each line ended by `eol`. */
export function dumpCsv(rows: readonly Row[], eol = '\n', header = HEADER): string {
  return [header, ...rows.map((r) => r.join(','))].join(eol) + eol;
}

/** Alpha's IMSI number i (15 digits, MCC-MNC 00101). */
export function alphaImsi(i: number): string {
  return `00101${String(i).padStart(10, '0')}`;
}

/** A national MSISDN number i (country code 999). */
export function msisdn(i: number): string {
  return `999${String(i).padStart(8, '0')}`;
}

/** A valid 14-digit IMEI key from a number (TAC 35209900 + SNR). */
export function imei14(i: number): string {
  return `352099${String(i).padStart(8, '0')}`;
}

export interface Snapshot {
  readonly counts: StoreCounts;
  readonly imports: readonly ImportRecord[];
}

export interface StoreCtx {
  readonly dir: string;
  readonly dataDir: string;
  readonly spoolDir: string;
  readonly store: DuckDbStore;
  /** Writes an input file under the context's input folder; returns its path. */
  write(name: string, content: string | Buffer): string;
  /** Imports a file (alpha's January by default name rules), LAX_GATES unless overridden. */
  importFile(file: string, o?: Partial<OperatorDumpOptions>): Promise<ImportOutcome>;
  /** Writes then imports a dump. */
  importDump(
    name: string,
    content: string | Buffer,
    o?: Partial<OperatorDumpOptions>,
  ): Promise<ImportOutcome>;
  snapshot(): Promise<Snapshot>;
}

export async function openStore(dataDir: string): Promise<DuckDbStore> {
  const store = await DuckDbStore.open({ dataDir, memoryLimit: '256MB', threads: 1 });
  await store.migrate();
  return store;
}

export async function snapshot(store: DuckDbStore): Promise<Snapshot> {
  return { counts: await store.counts(), imports: await store.listImports(1000) };
}

/** Runs `fn` against a fresh migrated DuckDB store; checks that no spool file is left behind. */
export async function withStore(fn: (c: StoreCtx) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-dump-'));
  const dataDir = join(dir, 'data');
  const spoolDir = join(dir, 'spool');
  const inDir = join(dir, 'in');
  mkdirSync(spoolDir, { recursive: true });
  mkdirSync(inDir, { recursive: true });
  const store = await openStore(dataDir);
  const write = (name: string, content: string | Buffer) => {
    const file = join(inDir, name);
    writeFileSync(file, content);
    return file;
  };
  const importFile = (file: string, o: Partial<OperatorDumpOptions> = {}) =>
    importOperatorDump(store, { file, config: CONFIG, gates: LAX_GATES, spoolDir, ...o });
  const ctx: StoreCtx = {
    dir,
    dataDir,
    spoolDir,
    store,
    write,
    importFile,
    importDump: (name, content, o) => importFile(write(name, content), o),
    snapshot: () => snapshot(store),
  };
  try {
    await fn(ctx);
    assert.deepEqual(readdirSync(spoolDir), [], 'spool files are always removed');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function imported(o: ImportOutcome): Extract<ImportOutcome, { kind: 'imported' }> {
  if (o.kind !== 'imported') assert.fail(`expected imported, got ${JSON.stringify(o)}`);
  return o;
}

export function rejected(o: ImportOutcome): Extract<ImportOutcome, { kind: 'rejected' }> {
  if (o.kind !== 'rejected') assert.fail(`expected rejected, got ${JSON.stringify(o)}`);
  return o;
}

export function gzip(content: string | Buffer): Buffer {
  return gzipSync(typeof content === 'string' ? Buffer.from(content) : content);
}

/** Writes a single-entry zip archive (the generator's zip sink: deflate + data descriptor). */
export async function writeZip(path: string, entryName: string, content: string | Buffer) {
  const sink = openSink(path, {
    compression: 'zip',
    level: 6,
    entryName,
    entryDate: { year: 2026, month: 1, day: 31 },
  });
  await sink.write(typeof content === 'string' ? Buffer.from(content) : content);
  await sink.end();
}

/** Imports a small GSMA TAC database holding `tacs` (8-digit strings). */
export async function importTacs(c: StoreCtx, tacs: readonly string[]): Promise<void> {
  const header =
    'TAC|Marketing Name|Internal Model Name|Manufacturer|Bands|Allocation Date|Country Code|' +
    'Fixed Code|Manufacturer Code|Radio Interface|Brand Name|Model Name|Operating System|NFC|' +
    'Bluetooth|WLAN|Device Type';
  const lines = tacs.map(
    (t) => `${t}|Phone ${t}|M${t}|Maker|GSM 900,LTE|01-Jan-2020|||||Brand|Model|OS|N|Y|Y|Handheld`,
  );
  const file = c.write('gsma_tac_db.txt', [header, ...lines].join('\n') + '\n');
  const o = await importList(c.store, {
    list: 'gsma_tac',
    file,
    mode: 'full',
    force: false,
    shrinkMinRatio: 0.75,
    spoolDir: c.spoolDir,
  });
  assert.equal(o.kind, 'imported', JSON.stringify(o));
}

// ---------------------------------------------------------------------------------------------
// Independent oracle: what the store must hold after importing rows (domain.md section 3).

function ymdIso(ymd: string): string {
  return `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
}

function ident(field: string, plus: boolean): string | null {
  let t = field.trim();
  if (plus && t.startsWith('+')) t = t.slice(1);
  return t === '' ? null : t;
}

/** Expected sightings per IMEI norm, for rows of one operator (all inside the period). */
export function expectedSightings(
  operator: string,
  rows: readonly Row[],
): Map<string, ImeiSighting[]> {
  const byKey = new Map<string, ImeiSighting & { imei: string }>();
  for (const [date, imeiField, imsiField, msisdnField, ratField] of rows) {
    const imei = normaliseImei(imeiField).norm;
    if (imei === '') continue;
    const iso = ymdIso(date.trim());
    const month = `${iso.slice(0, 8)}01`;
    const day = Number(iso.slice(8));
    const imsi = ident(imsiField, false);
    const msisdnV = ident(msisdnField, true);
    let rat = 0;
    if (ratField.trim() !== '') {
      const r = parseRatList(ratField);
      if (r.kind !== 'ok') throw new Error(`test bug: bad RAT ${ratField}`);
      rat = r.value;
    }
    const key = JSON.stringify([month, imei, imsi, msisdnV]);
    const prev = byKey.get(key);
    if (!prev)
      byKey.set(key, {
        imei,
        operator,
        month,
        imsi,
        msisdn: msisdnV,
        firstSeen: iso,
        lastSeen: iso,
        dayMask: 2 ** (day - 1),
        ratMask: rat,
      });
    else
      byKey.set(key, {
        ...prev,
        firstSeen: iso < prev.firstSeen ? iso : prev.firstSeen,
        lastSeen: iso > prev.lastSeen ? iso : prev.lastSeen,
        dayMask: prev.dayMask | (2 ** (day - 1)),
        ratMask: prev.ratMask | rat,
      });
  }
  const out = new Map<string, ImeiSighting[]>();
  for (const { imei, ...s } of byKey.values()) {
    const list = out.get(imei) ?? [];
    list.push(s);
    out.set(imei, list);
  }
  return out;
}

export function sortSightings(s: readonly ImeiSighting[]): ImeiSighting[] {
  return [...s]
    .map((x) => ({ ...x }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** Asserts that the store holds exactly the expected sightings for every expected IMEI. */
export async function assertSightings(
  store: DuckDbStore,
  expected: Map<string, ImeiSighting[]>,
): Promise<void> {
  for (const [imei, exp] of expected) {
    const got = await store.sightings(imei);
    assert.deepEqual(
      sortSightings(got),
      sortSightings(exp),
      `sightings of ${JSON.stringify(imei)}`,
    );
  }
}

export function tripletCount(expected: Map<string, ImeiSighting[]>): number {
  let n = 0;
  for (const v of expected.values()) n += v.length;
  return n;
}

/** A small deterministic PRNG (mulberry32) for generated dumps. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

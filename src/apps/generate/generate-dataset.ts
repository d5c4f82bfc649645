/**
 * `ceir generate`: a synthetic national dataset in the DIRBS formats of domain.md section 3 -
 * a GSMA TAC database, one network dump per operator per month, the input lists, and a ground
 * truth of every planted case.
 *
 * Speed and memory: ordinary devices and roamers are derived from their index (see
 * population.ts), so memory is flat in the row count; rows are written as bytes into 1 MiB
 * buffers and handed to the file / zlib stream with backpressure. Compression runs on libuv's
 * thread pool, in parallel with generation (with gzip/zip, several dumps are written at once).
 * gzip and zip use zlib level 1 by default: about 2.6x smaller than plain on this data; level 6
 * is only ~10 % smaller again and 2.5x slower. `gzipLevel` overrides it.
 * Determinism: the same seed and options give byte-identical files (gzip carries no timestamp,
 * zip entries a fixed date: the last day of the dump's month).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { CATEGORIES, GroundTruth, Planter, plantCounts } from './planted.js';
import { Population } from './population.js';
import { openSink, type Compression } from './sink.js';
import { buildTacDb, TAC_DB_HEADER, tacDbLine } from './tac-db.js';

export interface GenerateOptions {
  config: Config;
  outDir: string;
  /** Approximate total operator-dump rows across all operators and months. */
  rows: number;
  seed: number;
  /** `YYYY-MM`. */
  startMonth: string;
  months: number;
  /** Subset of the config's operator ids (default all), in this order. */
  operators?: readonly string[];
  compression: 'plain' | 'gzip' | 'zip';
  /** zlib level for gzip/zip, 1-9 (default 1). */
  gzipLevel?: number;
  onProgress?: (rowsWritten: number, totalRows: number) => void;
}

export interface GenerateSummary {
  files: { path: string; kind: string; rows: number }[];
  /** Operator-dump rows written. */
  rows: number;
  /** Distinct devices planned: ordinary devices, roamers and planted IMEIs. */
  devices: number;
  durationMs: number;
  groundTruthPath: string;
}

export const MIN_ROWS = 1_000;
export const MAX_ROWS = 100_000_000;
/** Stored entries per ground-truth category (the true count is in `counts`). */
export const GROUND_TRUTH_CAP = 10_000;

export const FILE_NAMES = {
  tacDb: 'gsma_tac_db.txt',
  stolen: 'stolen_list.csv',
  registration: 'registration_list.csv',
  pairing: 'pairing_list.csv',
  golden: 'golden_list.csv',
  barred: 'barred_list.csv',
  barredTac: 'barred_tac_list.csv',
  monitoring: 'monitoring_list.csv',
  groundTruth: 'ground_truth.json',
} as const;

/** DIRBS dump name: `<operator>_<YYYYMMDD>_<YYYYMMDD>.csv[.gz|.zip]`. */
export function dumpFileName(op: string, first: string, last: string, c: Compression): string {
  return `${op}_${first}_${last}.csv${c === 'gzip' ? '.gz' : c === 'zip' ? '.zip' : ''}`;
}

function validate(o: GenerateOptions): readonly string[] {
  const fail = (m: string): never => {
    throw new RangeError(`generate: ${m}`);
  };
  if (!Number.isInteger(o.rows) || o.rows < MIN_ROWS || o.rows > MAX_ROWS)
    fail(`rows must be an integer in ${MIN_ROWS}..${MAX_ROWS}, got ${o.rows}`);
  if (!Number.isSafeInteger(o.seed)) fail(`seed must be an integer, got ${o.seed}`);
  const m = /^(\d{4})-(\d{2})$/.exec(o.startMonth);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[1]) < 1990)
    fail(`startMonth must be YYYY-MM, got ${o.startMonth}`);
  if (!Number.isInteger(o.months) || o.months < 1 || o.months > 120)
    fail(`months must be an integer in 1..120, got ${o.months}`);
  if (!['plain', 'gzip', 'zip'].includes(o.compression))
    fail(`compression must be plain, gzip or zip, got ${o.compression}`);
  const level = o.gzipLevel ?? 1;
  if (!Number.isInteger(level) || level < 1 || level > 9) fail(`gzipLevel must be 1-9`);
  const known = o.config.operators.map((op) => op.id);
  const ops = o.operators ?? known;
  if (ops.length === 0) fail('no operators');
  for (const id of ops)
    if (!known.includes(id)) fail(`unknown operator ${id} (config has ${known.join(', ')})`);
  if (new Set(ops).size !== ops.length) fail('operators listed twice');
  return ops;
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function writeCsv(path: string, header: string, rows: readonly (readonly string[])[]): void {
  const lines = [header];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  writeFileSync(path, lines.join('\n') + '\n');
}

const byFirst = (a: readonly string[], b: readonly string[]) =>
  a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0;

export async function generateDataset(o: GenerateOptions): Promise<GenerateSummary> {
  const t0 = performance.now();
  const opIds = validate(o);
  const level = o.gzipLevel ?? 1;
  mkdirSync(o.outDir, { recursive: true });

  const [y, mo] = o.startMonth.split('-').map(Number) as [number, number];
  const startEpochDay = Math.floor(Date.UTC(y, mo - 1, 1) / 86400000);
  const tacCount = Math.min(3000, 300 + Math.floor(Math.sqrt(o.rows) / 4));
  const tacDb = buildTacDb(o.seed, tacCount, startEpochDay - 30);
  const pop = new Population({
    seed: o.seed,
    config: o.config,
    operators: opIds,
    startMonth: o.startMonth,
    months: o.months,
    rows: o.rows,
    tacDb,
  });

  // Size the populations: planted rows are counted exactly, roamers ~2.5 % of rows, the rest
  // are ordinary devices.
  const n0 = o.rows / pop.rowsPerDevice();
  const gt = new GroundTruth(GROUND_TRUTH_CAP);
  const planter = new Planter(pop, gt, plantCounts(n0, o.rows));
  const specialRows = planter.plantSpecials();
  const R = Math.max(1, Math.round((0.025 * o.rows) / Population.rowsPerRoamer(pop.alpha)));
  pop.finalize(1, R);
  const roamerRows = pop.roamerRows();
  const N = Math.max(40, Math.round((o.rows - specialRows - roamerRows) / pop.rowsPerDevice()));
  pop.finalize(N, R);
  pop.special = planter.special;
  pop.transient = planter.transient;
  planter.recordPopulation();
  planter.pickListDevices();
  const expected = Math.round(N * pop.rowsPerDevice() + specialRows + roamerRows);

  const files: GenerateSummary['files'] = [];
  const out = (name: string) => join(o.outDir, name);

  // GSMA TAC database.
  const tacLines = [TAC_DB_HEADER, ...tacDb.entries.map(tacDbLine)];
  writeFileSync(out(FILE_NAMES.tacDb), tacLines.join('\n') + '\n');
  files.push({ path: out(FILE_NAMES.tacDb), kind: 'gsma_tac_db', rows: tacDb.entries.length });

  // Lists.
  const L = planter.lists;
  const lists: [keyof typeof FILE_NAMES, string, string, string[][]][] = [
    ['stolen', 'stolen_list', 'imei,reporting_date,status', L.stolen.map((r) => [...r])],
    [
      'registration',
      'registration_list',
      'approved_imei,make,model,status,model_number,brand_name,device_type,radio_interface,device_id',
      L.registration,
    ],
    ['pairing', 'pairing_list', 'imei,imsi,msisdn', L.pairing.map((r) => [...r])],
    ['golden', 'golden_list', 'golden_imei', L.golden.map((v) => [v])],
    ['barred', 'barred_list', 'imei', L.barred.map((v) => [v])],
    ['barredTac', 'barred_tac_list', 'tac', L.barredTac.map((v) => [v])],
    ['monitoring', 'monitoring_list', 'imei', L.monitoring.map((v) => [v])],
  ];
  for (const [key, kind, header, rows] of lists) {
    rows.sort(byFirst);
    writeCsv(out(FILE_NAMES[key]), header, rows);
    files.push({ path: out(FILE_NAMES[key]), kind, rows: rows.length });
  }

  // Operator dumps, month by month.
  let written = 0;
  const onRows = (n: number) => {
    written += n;
    o.onProgress?.(written, expected);
  };
  // Compression runs on libuv's thread pool: with gzip/zip, several dumps are written at once so
  // that several cores compress; each file's bytes do not depend on the interleaving.
  const jobs = pop.months.flatMap((month, mi) => pop.ops.map((op) => ({ month, mi, op })));
  const dumpFiles: GenerateSummary['files'] = new Array(jobs.length);
  const parallel = o.compression === 'plain' ? 1 : Math.max(1, Math.min(4, availableParallelism()));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const j = next++;
      const { month, mi, op } = jobs[j]!;
      const name = dumpFileName(op.id, month.first, month.last, o.compression);
      const sink = openSink(out(name), {
        compression: o.compression,
        level,
        entryName: dumpFileName(op.id, month.first, month.last, 'plain'),
        entryDate: { year: month.year, month: month.month, day: month.days },
      });
      let rows: number;
      try {
        rows = await pop.writeDump(op.idx, mi, sink, onRows);
      } finally {
        await sink.end();
      }
      dumpFiles[j] = { path: out(name), kind: 'operator_dump', rows };
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  files.push(...dumpFiles);

  const devices = N + R + planter.plantedImeis;
  const counts: Record<string, number> = {};
  const categories: Record<string, string[]> = {};
  for (const c of CATEGORIES) {
    counts[c] = gt.counts.get(c)!;
    categories[c] = gt.items.get(c)!;
  }
  const groundTruth = {
    generator: 'openceir-generate/1',
    seed: o.seed,
    options: {
      rows: o.rows,
      seed: o.seed,
      startMonth: o.startMonth,
      months: o.months,
      operators: opIds,
      compression: o.compression,
      gzipLevel: level,
    },
    population: {
      ordinary_devices: N,
      international_roamers: R,
      planted_rows: specialRows,
      roamer_rows: roamerRows,
      tacs: tacDb.entries.length,
      alpha: pop.alpha,
    },
    rows: written,
    devices,
    files: files.map((f) => ({
      name: f.path.slice(o.outDir.length + 1),
      kind: f.kind,
      rows: f.rows,
    })),
    cap: GROUND_TRUTH_CAP,
    counts,
    categories,
  };
  const gtPath = out(FILE_NAMES.groundTruth);
  writeFileSync(gtPath, JSON.stringify(groundTruth, null, 1) + '\n');
  files.push({ path: gtPath, kind: 'ground_truth', rows: 0 });

  return {
    files,
    rows: written,
    devices,
    durationMs: Math.round(performance.now() - t0),
    groundTruthPath: gtPath,
  };
}

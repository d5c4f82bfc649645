/**
 * Check engine benchmark (a script, not a test): a synthetic 10M-entry black list snapshot of
 * random IMEIs; reports snapshot file size, memory of the loaded snapshot (typed-array bytes and
 * RSS delta), load time (read + SHA-256 + views), and decisions/s on one core with mixed hits and
 * misses, with and without IMSI. `node --expose-gc dist/eir/eir-bench.js [entries] [file]`.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TAC_BITMAP_BYTES, type EirSnapshotData } from '../core/ports/snapshot-source.js';
import type { EquipmentCheckResult } from '../core/check/equipment-check.js';
import { CheckEngine } from './check-engine.js';
import { readSnapshot, snapshotFromData, writeSnapshot } from './snapshot-format.js';

const loadOnly = process.argv[2] === '--load';
const n = loadOnly ? 0 : Number(process.argv[2] ?? 10_000_000);
const file = process.argv[3] ?? join(tmpdir(), `ceir-bench-${process.pid}.snap`);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

// xorshift PRNG: reproducible IMEIs over 1000 TACs.
let seed = 0x9e3779b9;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const TACS = Array.from({ length: 1000 }, () => 35_000_000 + Math.floor(rnd() * 9_000_000));
const randomImei = () => TACS[Math.floor(rnd() * TACS.length)]! * 1e6 + Math.floor(rnd() * 1e6);

function synthetic(): EirSnapshotData {
  const black = new Float64Array(n);
  for (let i = 0; i < n; i++) black[i] = randomImei();
  const nExc = 100_000;
  const exImeis = black.slice(0, nExc);
  const exImsis = new Float64Array(nExc);
  for (let i = 0; i < nExc; i++) exImsis[i] = 1_001_010_000_000_000 + i;
  const tacBitmap = new Uint8Array(TAC_BITMAP_BYTES);
  for (const t of TACS) tacBitmap[t >>> 3]! |= 1 << (t & 7);
  return {
    listRun: 1,
    asOf: '2026-03-31',
    reasonSets: [[], ['Reported stolen'], ['Duplicated IMEI']],
    black: { imeis: black, reasonSets: new Uint16Array(n).fill(1) },
    grey: { imeis: new Float64Array(0), reasonSets: new Uint16Array(0) },
    exceptions: { imeis: exImeis, imsis: exImsis },
    golden: new Float64Array(0),
    tacBitmap,
    tacCount: new Set(TACS).size,
    malformed: [],
  };
}

/** Load alone, in a fresh process, for an honest RSS delta. */
async function loadFigures(): Promise<void> {
  gc();
  const rss0 = process.memoryUsage().rss;
  const t = performance.now();
  const snap = await readSnapshot(file);
  const loadS = (performance.now() - t) / 1000;
  new CheckEngine(snap).check('35000000000000');
  gc();
  console.log(
    `fresh process: load ${loadS.toFixed(3)} s; RSS delta ${mb(process.memoryUsage().rss - rss0)}`,
  );
}

async function main(): Promise<void> {
  if (loadOnly) return loadFigures();
  let t = performance.now();
  const data = synthetic();
  const probeBlack = Array.from({ length: 1 << 16 }, (_, i) =>
    String(data.black.imeis[(i * 7919) % n]!).padStart(14, '0'),
  );
  const built = snapshotFromData(data);
  const { bytes } = await writeSnapshot(file, built);
  console.log(
    `built ${n.toLocaleString()} black IMEIs (${built.index.count().toLocaleString()} distinct) in ${((performance.now() - t) / 1000).toFixed(2)} s; file ${mb(bytes)}`,
  );

  // Probe strings prepared before the load is measured: half hits, half misses, as networks
  // send them (15 digits with a check digit 0), a few with IMEISV, a few malformed.
  const probes: string[] = [];
  for (let i = 0; i < 1 << 16; i++) {
    if (i % 2 === 0) probes.push(`${probeBlack[i]}0`);
    else if (i % 64 === 1) probes.push(`${String(randomImei()).padStart(14, '0')}12`);
    else if (i % 512 === 3) probes.push('not-an-imei');
    else probes.push(`${String(randomImei()).padStart(14, '0')}0`);
  }
  const imsis = probes.map((_, i) => String(1_001_010_000_000_000 + (i % 200_000)).slice(1));
  probeBlack.length = 0;
  (data as { black: unknown }).black = null;
  gc();
  gc();
  const rss0 = process.memoryUsage().rss;
  t = performance.now();
  const snap = await readSnapshot(file);
  const loadS = (performance.now() - t) / 1000;
  const engine = new CheckEngine(snap);
  gc();
  const rss1 = process.memoryUsage().rss;
  const typed =
    snap.index.buckets.byteLength +
    snap.pairs.imeis.byteLength +
    snap.pairs.imsis.byteLength +
    snap.tacBitmap.byteLength;
  console.log(
    `load (read + SHA-256 + views): ${loadS.toFixed(3)} s; typed arrays ${mb(typed)} (index ${snap.index.capacity.toLocaleString()} slots); RSS delta ${mb(rss1 - rss0)}`,
  );

  const mask = probes.length - 1;
  const out: EquipmentCheckResult[] = [];
  const BURST = 32;
  const probeBursts: string[][] = [];
  const imsiBursts: string[][] = [];
  for (let j = 0; j < probes.length; j += BURST) {
    probeBursts.push(probes.slice(j, j + BURST));
    imsiBursts.push(imsis.slice(j, j + BURST));
  }
  for (const withImsi of [false, true]) {
    for (const burst of [false, true]) {
      const run = (count: number) => {
        let h = 0;
        if (burst) {
          // Bursts of consecutive probes, as one read of a busy connection brings them.
          for (let i = 0; i < count; i += BURST) {
            const b = (i / BURST) & (probeBursts.length - 1);
            engine.checkMany(probeBursts[b]!, withImsi ? imsiBursts[b] : undefined, out);
            for (const r of out) if (r.kind === 'status' && r.status === 'BLACKLISTED') h++;
          }
          return h;
        }
        for (let i = 0; i < count; i++) {
          const j = i & mask;
          const r = withImsi ? engine.check(probes[j]!, imsis[j]) : engine.check(probes[j]!);
          if (r.kind === 'status' && r.status === 'BLACKLISTED') h++;
        }
        return h;
      };
      run(2_000_000); // warm up
      const count = 20_000_000;
      t = performance.now();
      const hits = run(count);
      const s = (performance.now() - t) / 1000;
      console.log(
        `decisions ${withImsi ? 'with' : 'without'} IMSI, ${burst ? `bursts of ${BURST} (checkMany)` : 'one by one (check)'}: ${(count / s / 1e6).toFixed(2)} M/s on one core (${((hits / count) * 100).toFixed(1)}% blacklisted)`,
      );
    }
  }
  spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--load', file], {
    stdio: 'inherit',
  });
  rmSync(file, { force: true });
}

await main();

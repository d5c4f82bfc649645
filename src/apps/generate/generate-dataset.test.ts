import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import yauzl from 'yauzl';
import { parseConfig } from '../../config/loader.js';
import type { Config } from '../../config/schema.js';
import { luhnCheckDigit, writeDigits } from './digits.js';
import { generateDataset, type GenerateOptions } from './generate-dataset.js';
import { TAC_DB_HEADER } from './tac-db.js';

const CONFIG_TEXT = readFileSync(
  new URL('../../../config/demo.ceir.yaml', import.meta.url),
  'utf8',
);
const parsed = parseConfig(CONFIG_TEXT, 'demo.ceir.yaml');
if (parsed.kind !== 'ok') throw new Error(parsed.message);
const config: Config = parsed.value;

const root = mkdtempSync(join(tmpdir(), 'ceir-generate-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirNo = 0;
const newDir = () => join(root, String(dirNo++));

function opts(o: Partial<GenerateOptions> = {}): GenerateOptions {
  return {
    config,
    outDir: newDir(),
    rows: 20_000,
    seed: 7,
    startMonth: '2026-01',
    months: 2,
    compression: 'plain',
    ...o,
  };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
function hashes(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((f) => [f, sha(readFileSync(join(dir, f)))]),
  );
}

const DUMP = /^([a-z0-9-]+)_(\d{8})_(\d{8})\.csv(\.gz|\.zip)?$/;
const norm = (imei: string) => (/^[0-9]{14}/.test(imei) ? imei.slice(0, 14) : imei.toUpperCase());

interface Row {
  file: string;
  op: string;
  date: string;
  imei: string;
  imsi: string;
  msisdn: string;
  rat: string;
}

function readDumps(dir: string): Row[] {
  const rows: Row[] = [];
  for (const f of readdirSync(dir).sort()) {
    const m = DUMP.exec(f);
    if (!m) continue;
    const [, op, first, last] = m as unknown as [string, string, string, string];
    const lines = readFileSync(join(dir, f), 'latin1').split('\n');
    assert.equal(lines[0], 'date,imei,imsi,msisdn,rat', `${f} header`);
    assert.equal(lines[lines.length - 1], '', `${f} ends with a newline`);
    const keys = new Set<string>();
    for (let k = 1; k < lines.length - 1; k++) {
      const p = lines[k]!.split(',');
      assert.equal(p.length, 5, `${f}:${k + 1} has 5 columns: ${lines[k]}`);
      const [date, imei, imsi, msisdn, rat] = p as [string, string, string, string, string];
      assert.match(date, /^\d{8}$/);
      assert.ok(date >= first && date <= last, `${f}:${k + 1} date ${date} outside the period`);
      const key = `${date},${imei},${imsi},${msisdn}`;
      assert.ok(!keys.has(key), `${f}:${k + 1} duplicate row ${key}`);
      keys.add(key);
      assert.match(imsi, /^\d{15}$/);
      assert.match(msisdn, /^(\d{8,15})?$/);
      assert.match(rat, /^((001|002|005|006|008|009|010)(\|(001|002|005|006|008|009|010))*)?$/);
      rows.push({ file: f, op, date, imei, imsi, msisdn, rat });
    }
  }
  return rows;
}

interface GroundTruthJson {
  seed: number;
  options: Record<string, unknown>;
  rows: number;
  counts: Record<string, number>;
  categories: Record<string, string[]>;
}
const readGt = (dir: string): GroundTruthJson =>
  JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as GroundTruthJson;

function readZipEntry(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e2, s) => {
          if (e2 || !s) return reject(e2 ?? new Error('no stream'));
          const parts: Buffer[] = [];
          s.on('data', (c: Buffer) => parts.push(c));
          s.on('end', () => {
            zip.close();
            resolve(Buffer.concat(parts));
          });
          s.on('error', reject);
        });
      });
      zip.readEntry();
    });
  });
}

describe('generateDataset', () => {
  const base = opts();
  const first = generateDataset(base);

  it('is deterministic: same seed and options give byte-identical files', async () => {
    await first;
    const again = opts({ outDir: newDir() });
    await generateDataset(again);
    const a = hashes(base.outDir);
    const b = hashes(again.outDir);
    assert.deepEqual([...a.keys()], [...b.keys()]);
    assert.deepEqual(a, b);
    const other = opts({ seed: 8 });
    await generateDataset(other);
    assert.notEqual(
      hashes(other.outDir).get('alpha_20260101_20260131.csv'),
      a.get('alpha_20260101_20260131.csv'),
    );
  });

  it('writes the expected files, with the DIRBS names', async () => {
    const s = await first;
    const names = readdirSync(base.outDir).sort();
    for (const f of [
      'alpha_20260101_20260131.csv',
      'alpha_20260201_20260228.csv',
      'beta_20260101_20260131.csv',
      'gamma_20260201_20260228.csv',
      'gsma_tac_db.txt',
      'stolen_list.csv',
      'registration_list.csv',
      'pairing_list.csv',
      'golden_list.csv',
      'barred_list.csv',
      'barred_tac_list.csv',
      'monitoring_list.csv',
      'ground_truth.json',
    ])
      assert.ok(names.includes(f), `missing ${f}`);
    assert.equal(names.length, 6 + 9);
    assert.equal(s.groundTruthPath, join(base.outDir, 'ground_truth.json'));
    assert.equal(s.files.filter((f) => f.kind === 'operator_dump').length, 6);
  });

  it('every dump row parses, lies in its period, and is unique', async () => {
    const s = await first;
    const rows = readDumps(base.outDir);
    assert.equal(rows.length, s.rows);
    assert.equal(readGt(base.outDir).rows, s.rows);
  });

  it('writes about the requested number of rows (within 20 %)', async () => {
    const s = await first;
    assert.ok(Math.abs(s.rows - 20_000) <= 4_000, `rows ${s.rows}`);
    for (const [rows, months] of [
      [1_000, 1],
      [1_000, 3],
      [5_000, 1],
      [100_000, 1],
    ] as const) {
      const o = opts({ rows, months, seed: rows + months });
      const r = await generateDataset(o);
      assert.ok(
        Math.abs(r.rows - rows) <= rows * 0.2,
        `${rows} rows x ${months} months: got ${r.rows}`,
      );
      const gt = readGt(o.outDir);
      for (const [c, n] of Object.entries(gt.counts))
        if (c !== 'national_roamer') assert.ok(n >= 1, `${rows} rows: no ${c}`);
    }
  });

  it('TAC database: exact header, realistic bands, RBIs 01/35/86/91, no TAC starting with 1', async () => {
    await first;
    const lines = readFileSync(join(base.outDir, 'gsma_tac_db.txt'), 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], TAC_DB_HEADER);
    assert.ok(lines.length > 300);
    const tacs = lines.slice(1).map((l) => l.split('|'));
    for (const t of tacs) {
      assert.equal(t.length, 17);
      assert.match(t[0]!, /^\d{8}$/);
      assert.match(t[5]!, /^\d{2}-[A-Z][a-z]{2}-\d{4}$/);
      assert.ok(!t[0]!.startsWith('1'));
    }
    for (const rbi of ['01', '35', '86', '91'])
      assert.ok(
        tacs.some((t) => t[0]!.startsWith(rbi)),
        `RBI ${rbi}`,
      );
    assert.ok(
      tacs.some(
        (t) =>
          t[4] ===
          t[4]!
            .split(', ')
            .filter((b) => b.startsWith('GSM'))
            .join(', '),
      ),
    );
    assert.ok(tacs.some((t) => t[4]!.includes('NR n78')));
    assert.equal(new Set(tacs.map((t) => t[0])).size, tacs.length);
    const types = new Set(tacs.map((t) => t[16]));
    for (const ty of ['Smartphone', 'Feature Phone', 'Tablet', 'Modem', 'IoT Device'])
      assert.ok(types.has(ty), ty);
  });

  it('planted cases are where the ground truth says', async () => {
    await first;
    const dir = base.outDir;
    const rows = readDumps(dir);
    const gt = readGt(dir);
    const tacDb = new Map(
      readFileSync(join(dir, 'gsma_tac_db.txt'), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split('|'))
        .map((t) => [t[0]!, t[4]!]),
    );
    const imsisOf = new Map<string, Set<string>>();
    const ratsOf = new Map<string, Set<string>>();
    for (const r of rows) {
      const k = norm(r.imei);
      if (!imsisOf.has(k)) imsisOf.set(k, new Set());
      imsisOf.get(k)!.add(r.imsi);
      if (!ratsOf.has(k)) ratsOf.set(k, new Set());
      for (const c of r.rat.split('|')) ratsOf.get(k)!.add(c);
    }
    const seen = (imei: string) => imsisOf.has(imei);

    assert.ok(gt.categories.clone!.length >= 1);
    for (const imei of gt.categories.clone!)
      assert.ok(
        (imsisOf.get(imei)?.size ?? 0) >= 5,
        `clone ${imei}: ${imsisOf.get(imei)?.size} IMSIs`,
      );
    const stolen = readFileSync(join(dir, 'stolen_list.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(stolen[0], 'imei,reporting_date,status');
    for (const l of stolen.slice(1)) {
      const [imei, date, status] = l.split(',') as [string, string, string];
      assert.ok(seen(norm(imei)), `stolen ${imei} not seen`);
      assert.match(date, /^\d{8}$/);
      assert.ok(status === 'blacklist' || status === '');
    }
    assert.equal(stolen.length - 1, gt.counts.stolen);
    for (const imei of gt.categories.unallocated_tac!) {
      assert.ok(!tacDb.has(imei.slice(0, 8)), `unallocated ${imei} is in the TAC DB`);
      assert.ok(seen(imei));
    }
    // Exactly the malformed IMEIs of the dumps (normalised), planted and ordinary alike.
    const malformedSeen = [...imsisOf.keys()].filter((k) => !/^[0-9]{14}/.test(k)).sort();
    assert.deepEqual([...gt.categories.malformed!].sort(), malformedSeen);
    assert.equal(gt.counts.malformed, malformedSeen.length);
    for (const imei of gt.categories.test_tac!) assert.match(imei, /^0010(0[1-9]|1[0-7])/);
    for (const imei of gt.categories.inconsistent_rat!) {
      const bands = tacDb.get(imei.slice(0, 8))!;
      assert.ok(!/LTE|NR|WCDMA/.test(bands), bands);
      // Seen on 3G or 4G at least once (NR alone would be rat_beyond_tac only).
      const rats = ratsOf.get(imei)!;
      assert.ok(rats.has('006') || rats.has('001'), [...rats].join(' '));
    }
    // A truncated malformed IMEI that keeps a real TAC is used on that TAC's RATs only.
    for (const imei of gt.categories.malformed!) {
      const bands = tacDb.get(imei.slice(0, 8));
      if (bands === undefined || /LTE/.test(bands)) continue;
      for (const rat of ratsOf.get(imei)!)
        assert.ok(!['006', '010'].includes(rat), `malformed ${imei} on ${rat}: ${bands}`);
    }
    const multi = gt.categories.multi_sim!;
    for (let k = 0; k < multi.length; k += 2)
      assert.equal(Number(multi[k + 1]) - Number(multi[k]), 1, 'dual-SIM IMEIs are consecutive');
    for (const imei of gt.categories.sim_swap!) assert.equal(imsisOf.get(imei)?.size, 2);
    for (const imei of gt.categories.transient!) assert.ok(imsisOf.get(imei)!.size >= 15);
    for (const imei of gt.categories.roamer!.slice(0, 50)) {
      assert.ok(seen(imei), `roamer ${imei}`);
      assert.ok([...imsisOf.get(imei)!].every((s) => !s.startsWith('001')));
    }
    for (const cat of [
      'registered',
      'paired',
      'golden',
      'barred',
      'monitoring',
      'barred_tac_device',
    ])
      for (const imei of gt.categories[cat]!) assert.ok(seen(imei), `${cat} ${imei} not seen`);
    const barredTac = readFileSync(join(dir, 'barred_tac_list.csv'), 'utf8').trimEnd().split('\n');
    assert.deepEqual(barredTac.slice(1), gt.categories.barred_tac);
  });

  it('ground truth malformed lists exactly the malformed IMEIs of the dumps, tiny datasets too', async () => {
    // With 1,000 rows daily probabilities are scaled down and some ordinary devices are never
    // active: seeds 2 and 23 each have a malformed-presenting device that no dump shows.
    for (const seed of [2, 23]) {
      const o = opts({ rows: 1_000, months: 1, seed });
      await generateDataset(o);
      const malformed = new Set(
        readDumps(o.outDir)
          .map((r) => norm(r.imei))
          .filter((k) => !/^[0-9]{14}/.test(k)),
      );
      const gt = readGt(o.outDir);
      assert.deepEqual([...gt.categories.malformed!].sort(), [...malformed].sort(), `seed ${seed}`);
      assert.equal(gt.counts.malformed, malformed.size);
    }
  });

  it('lists have the exact headers and no duplicate keys', async () => {
    await first;
    const lists: [string, string, number][] = [
      ['stolen_list.csv', 'imei,reporting_date,status', 1],
      [
        'registration_list.csv',
        'approved_imei,make,model,status,model_number,brand_name,device_type,radio_interface,device_id',
        1,
      ],
      ['pairing_list.csv', 'imei,imsi,msisdn', 2],
      ['golden_list.csv', 'golden_imei', 1],
      ['barred_list.csv', 'imei', 1],
      ['barred_tac_list.csv', 'tac', 1],
      ['monitoring_list.csv', 'imei', 1],
    ];
    for (const [f, header, keyCols] of lists) {
      const lines = readFileSync(join(base.outDir, f), 'utf8').trimEnd().split('\n');
      assert.equal(lines[0], header, f);
      assert.ok(lines.length >= 2, `${f} is empty`);
      const cols = header.split(',').length;
      const keys = new Set<string>();
      for (const l of lines.slice(1)) {
        const p = l.split(',');
        assert.equal(p.length, cols, `${f}: ${l}`);
        const key = p
          .slice(0, keyCols)
          .map((v, k) => (k === 0 && f !== 'barred_tac_list.csv' ? norm(v) : v))
          .join(',');
        assert.ok(!keys.has(key), `${f}: duplicate ${key}`);
        keys.add(key);
        if (f !== 'barred_tac_list.csv') assert.match(p[0]!, /^\d{15}$/);
      }
    }
    const reg = readFileSync(join(base.outDir, 'registration_list.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    assert.ok(reg.slice(1).every((l) => l.split(',')[3] === 'whitelist'));
  });

  it('data pass the quality gates of domain.md section 3 comfortably', async () => {
    await first;
    const rows = readDumps(base.outDir);
    const byFile = new Map<string, Row[]>();
    for (const r of rows) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
    const prefixes = new Map(config.operators.map((o) => [o.id, o.mcc_mnc]));
    for (const [f, rs] of byFile) {
      const n = rs.length;
      const share = (pred: (r: Row) => boolean) => rs.filter(pred).length / n;
      assert.ok(share((r) => r.msisdn === '') < 0.01, `${f} null msisdn`);
      assert.ok(share((r) => r.rat === '') < 0.01, `${f} null rat`);
      const unclean = share((r) => !/^[0-9]{14}/.test(r.imei));
      assert.ok(unclean < 0.03, `${f} unclean ${unclean}`);
      const foreign = share((r) => !r.imsi.startsWith('001'));
      assert.ok(foreign > 0.005 && foreign < 0.06, `${f} foreign IMSIs ${foreign}`);
      assert.ok(share((r) => r.msisdn !== '' && !r.msisdn.startsWith('999')) < 0.06);
      const op = rs[0]!.op;
      const outside = share((r) => !prefixes.get(op)!.some((p) => r.imsi.startsWith(p)));
      assert.ok(outside < 0.15, `${f} IMSIs outside operator ${outside}`);
      const ones = new Set(rs.filter((r) => r.imei.startsWith('1')).map((r) => norm(r.imei))).size;
      const zeros = new Set(rs.filter((r) => r.imei.startsWith('0')).map((r) => norm(r.imei))).size;
      assert.ok(ones < zeros, `${f}: ${ones} IMEIs start with 1, ${zeros} with 0`);
      // Luhn: most 15-digit IMEIs carry a valid check digit.
      const full = rs.filter((r) => /^\d{15}$/.test(r.imei));
      const valid = full.filter((r) => luhnCheckDigit(r.imei.slice(0, 14)) === Number(r.imei[14]));
      assert.ok(valid.length / full.length > 0.9);
    }
  });

  it('gzip and zip dumps decompress to the plain bytes of the same seed', async () => {
    await first;
    const gz = opts({ compression: 'gzip' });
    const zip = opts({ compression: 'zip' });
    await generateDataset(gz);
    await generateDataset(zip);
    for (const f of readdirSync(base.outDir).filter((x) => DUMP.test(x))) {
      const plain = readFileSync(join(base.outDir, f));
      assert.deepEqual(gunzipSync(readFileSync(join(gz.outDir, `${f}.gz`))), plain, `${f}.gz`);
      assert.deepEqual(await readZipEntry(join(zip.outDir, `${f}.zip`)), plain, `${f}.zip`);
    }
    // Lists and TAC DB are plain whatever the compression.
    assert.deepEqual(
      readFileSync(join(gz.outDir, 'gsma_tac_db.txt')),
      readFileSync(join(base.outDir, 'gsma_tac_db.txt')),
    );
  });

  it('honours an operator subset and reports progress', async () => {
    const o = opts({ operators: ['beta'], months: 1, rows: 5_000 });
    let last = 0;
    let total = 0;
    const s = await generateDataset({ ...o, onProgress: (w, t) => ((last = w), (total = t)) });
    assert.equal(last, s.rows);
    assert.ok(total > 0);
    const dumps = readdirSync(o.outDir).filter((x) => DUMP.test(x));
    assert.deepEqual(dumps, ['beta_20260101_20260131.csv']);
    for (const r of readDumps(o.outDir))
      if (r.imsi.startsWith('001'))
        assert.ok(r.imsi.startsWith('00102') || r.imsi.startsWith('00103'));
  });

  it('rejects bad options with a clear error', async () => {
    await assert.rejects(generateDataset(opts({ rows: 10 })), /rows must be/);
    await assert.rejects(generateDataset(opts({ startMonth: '2026-13' })), /startMonth/);
    await assert.rejects(generateDataset(opts({ months: 0 })), /months/);
    await assert.rejects(generateDataset(opts({ operators: ['delta'] })), /unknown operator delta/);
  });
});

describe('digit helpers', () => {
  it('Luhn check digits match TS 23.003 vectors', () => {
    assert.equal(luhnCheckDigit('26053179311383'), 7);
    assert.equal(luhnCheckDigit('49015420323751'), 8);
    assert.equal(luhnCheckDigit('35209900176148'), 1);
  });

  it('writeDigits writes zero-padded decimals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, u) => {
          const v = Math.floor(u * (10 ** w - 1));
          const b = Buffer.alloc(20);
          const end = writeDigits(b, 2, v, w);
          assert.equal(end, 2 + w);
          assert.equal(b.toString('latin1', 2, end), String(v).padStart(w, '0'));
        },
      ),
    );
  });
});

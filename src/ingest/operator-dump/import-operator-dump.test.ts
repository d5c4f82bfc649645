/**
 * `importOperatorDump` end to end against a real DuckDB store: aggregation into monthly
 * triplets checked against an independent oracle (also with a small triplet table that spills
 * partial aggregates), atomicity, duplicate detection, compression, and the operator/period
 * of a dump.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { RAT_CODES } from '../../core/ids/rat.js';
import {
  alphaImsi,
  assertSightings,
  CONFIG,
  DEFAULT_GATES,
  dumpCsv,
  expectedSightings,
  gzip,
  imei14,
  imported,
  msisdn,
  prng,
  rejected,
  tripletCount,
  withStore,
  writeZip,
  type Row,
  type StoreCtx,
} from './test-fixtures.js';
// eslint-disable-next-line no-restricted-imports
import { generateDataset } from '../../apps/generate/generate-dataset.js';

const JAN = 'alpha_20260101_20260131.csv';
const CODES = RAT_CODES.map((r) => r.code);

function isoPlus(startIso: string, days: number): string {
  return new Date(Date.parse(`${startIso}T00:00:00Z`) + days * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

const ymd = (iso: string) => iso.replaceAll('-', '');

// ---------------------------------------------------------------------------------------------
// Aggregation against the oracle.

const IMEI_POOL = [
  imei14(1),
  `${imei14(1)}7`, // same key with a check digit
  `${imei14(1)}71`, // same key as an IMEISV
  imei14(2),
  imei14(3),
  '01234567890123',
  '12345678901234',
  '22345678901233ab',
  '22a456789012345',
  'abc',
  'ABC',
  ' 35209900000004 ',
  '', // null IMEI: not stored
];
const IMSI_POOL = [alphaImsi(1), alphaImsi(2), alphaImsi(3), '001020000000009', '', 'X-IMSI'];
const MSISDN_POOL = [msisdn(1), `+${msisdn(1)}`, msisdn(2), '44770090012', '', 'unknown'];

/** A few (IMEI, IMSI, MSISDN) keys per run and rows drawn from them: keys repeat often. */
const dumpArb = fc
  .record({
    keys: fc.array(
      fc.record({
        imei: fc.constantFrom(...IMEI_POOL),
        imsi: fc.constantFrom(...IMSI_POOL),
        msisdn: fc.constantFrom(...MSISDN_POOL),
      }),
      { minLength: 1, maxLength: 10 },
    ),
    rows: fc.array(
      fc.record({
        key: fc.nat(),
        day: fc.integer({ min: 0, max: 21 }), // 2026-01-20 .. 2026-02-10: two months
        rat: fc.subarray(CODES, { maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 120 },
    ),
  })
  .map(({ keys, rows }): Row[] =>
    rows.map((r) => {
      const k = keys[r.key % keys.length]!;
      return [ymd(isoPlus('2026-01-20', r.day)), k.imei, k.imsi, k.msisdn, r.rat.join('|')];
    }),
  );

test('stored triplets equal an independent aggregation of random rows (property)', async () => {
  await fc.assert(
    fc.asyncProperty(dumpArb, async (rows) => {
      await withStore(async (c) => {
        const o = imported(await c.importDump('alpha_20260120_20260210.csv', dumpCsv(rows)));
        const exp = expectedSightings('alpha', rows);
        assert.equal(o.record.rows, rows.length);
        assert.equal(o.record.accepted, rows.filter((r) => r[1].trim() !== '').length);
        const counts = await c.store.counts();
        assert.equal(counts.triplets, tripletCount(exp));
        assert.equal(counts.imeis, exp.size);
        await assertSightings(c.store, exp);
      });
    }),
    { numRuns: 12 },
  );
});

/**
 * 150k rows over two months from 1,500 IMEIs (20 malformed) x 25 IMSIs (3 texts): about 65k
 * distinct triplets, so a table of 2^8-slot partitions spills several partial spools (the
 * default table holds them all).
 */
function bigRows(): Row[] {
  const rnd = prng(42);
  const rows: Row[] = [];
  for (let i = 0; i < 150_000; i++) {
    const d = Math.floor(rnd() * 40); // 2026-01-05 .. 2026-02-13
    const e = Math.floor(rnd() * 1500);
    const s = Math.floor(rnd() * 25);
    rows.push([
      ymd(isoPlus('2026-01-05', d)),
      e < 20 ? `bad-${e}` : imei14(e),
      s < 3 ? `T${s}` : alphaImsi(s),
      s === 24 ? '' : msisdn(s),
      CODES[Math.floor(rnd() * CODES.length)]!,
    ]);
  }
  return rows;
}

test('a small triplet table spills partial aggregates; the store merges them to the same result', async () => {
  const rows = bigRows();
  const text = dumpCsv(rows);
  const exp = expectedSightings('alpha', rows);
  const triplets = tripletCount(exp);
  assert.ok(triplets > 60_000, `${triplets} triplets`);
  // Every malformed IMEI, and every 40th valid one.
  const sample = new Map([...exp].filter(([k], i) => k.startsWith('BAD-') || i % 40 === 0));
  for (const tableLog2 of [undefined, 8]) {
    await withStore(async (c) => {
      const o = imported(await c.importDump('alpha_20260105_20260213.csv', text, { tableLog2 }));
      if (tableLog2 === undefined) assert.equal(o.counts.triplet_partials, triplets);
      else
        assert.ok(
          (o.counts.triplet_partials ?? 0) > triplets,
          `tableLog2 ${tableLog2}: ${o.counts.triplet_partials} partials for ${triplets} triplets`,
        );
      const counts = await c.store.counts();
      assert.equal(counts.triplets, triplets);
      assert.equal(counts.imeis, exp.size);
      await assertSightings(c.store, sample);
    });
  }
});

test('a second dump of the same month merges into the stored triplets', async () => {
  await withStore(async (c) => {
    const first: Row[] = [
      ['20260103', imei14(1), alphaImsi(1), msisdn(1), '006'],
      ['20260110', imei14(1), alphaImsi(1), msisdn(1), '001'],
      ['20260110', imei14(2), alphaImsi(2), '', '002'],
      ['20260111', 'bad-1', 'T-1', msisdn(3), '006'],
    ];
    const second: Row[] = [
      ['20260101', imei14(1), alphaImsi(1), msisdn(1), '010'], // earlier first_seen
      ['20260120', imei14(1), alphaImsi(1), msisdn(1), '006'], // later last_seen
      ['20260120', imei14(2), alphaImsi(2), '', '006'], // null MSISDN key merges
      ['20260121', imei14(2), alphaImsi(2), msisdn(2), '006'], // new triplet
      ['20260122', 'BAD-1', 'T-1', msisdn(3), '002'], // malformed IMEI and IMSI text again
      ['20260123', imei14(3), alphaImsi(3), msisdn(3), '006'],
    ];
    imported(await c.importDump('alpha_20260101_20260115.csv', dumpCsv(first)));
    imported(await c.importDump('alpha_20260101_20260131.csv', dumpCsv(second)));
    const exp = expectedSightings('alpha', [...first, ...second]);
    assert.equal((await c.store.counts()).triplets, tripletCount(exp));
    await assertSightings(c.store, exp);
    assert.deepEqual(await c.store.sightings(imei14(1)), [
      {
        operator: 'alpha',
        month: '2026-01-01',
        imsi: alphaImsi(1),
        msisdn: msisdn(1),
        firstSeen: '2026-01-01',
        lastSeen: '2026-01-20',
        dayMask: 1 | (1 << 2) | (1 << 9) | (1 << 19),
        ratMask: 1 | 32 | 512,
      },
    ]);
    // Another operator's sightings of the same IMEI stay apart.
    imported(
      await c.importDump(
        'beta_20260101_20260131.csv',
        dumpCsv([['20260105', imei14(1), '001020000000001', msisdn(1), '006']]),
      ),
    );
    assert.deepEqual((await c.store.sightings(imei14(1))).map((s) => s.operator).sort(), [
      'alpha',
      'beta',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Atomicity, duplicates, compression.

const SMALL: Row[] = [
  ['20260105', imei14(1), alphaImsi(1), msisdn(1), '006'],
  ['20260106', imei14(2), alphaImsi(2), msisdn(2), '001|006'],
  ['20260107', 'junk-imei', alphaImsi(3), msisdn(3), '002'],
  ['20260108', imei14(1), alphaImsi(1), msisdn(1), '010'],
];

async function seed(c: StoreCtx): Promise<void> {
  imported(
    await c.importDump(
      'alpha_20251201_20251231.csv',
      dumpCsv([
        ['20251201', imei14(7), alphaImsi(7), msisdn(7), '006'],
        ['20251202', imei14(8), alphaImsi(8), msisdn(8), '006'],
      ]),
    ),
  );
}

test('the import record describes the file', async () => {
  await withStore(async (c) => {
    const text = dumpCsv(SMALL);
    const file = c.write(JAN, text);
    const o = imported(await c.importFile(file));
    const r = o.record;
    assert.equal(r.source, 'operator');
    assert.equal(r.mode, 'full');
    assert.equal(r.file, file);
    assert.equal(r.operator, 'alpha');
    assert.equal(r.periodStart, '2026-01-01');
    assert.equal(r.periodEnd, '2026-01-31');
    assert.equal(r.sha256, createHash('sha256').update(text).digest('hex'));
    assert.equal(r.rows, 4);
    assert.equal(r.accepted, 4);
    assert.equal(o.counts.malformed_imei, 1);
    assert.equal(o.counts.days, 4);
    assert.ok(r.gates.length >= 11 && r.gates.every((g) => g.passed));
    assert.ok(Date.parse(r.startedAt) <= Date.parse(r.finishedAt));
    const listed = await c.store.listImports(10);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.id, r.id);
    assert.equal(listed[0]!.sha256, r.sha256);
    assert.deepEqual(listed[0]!.gates, r.gates);
    assert.deepEqual(await c.store.findImportBySha256('operator', r.sha256), listed[0]);
    assert.deepEqual(await c.store.counts(), { triplets: 3, imeis: 2 + 1, imports: 1, lists: {} });
  });
});

test('a rejected file leaves the store exactly as it was', async () => {
  await withStore(async (c) => {
    await seed(c);
    const before = await c.snapshot();
    assert.equal(before.counts.triplets, 2);
    const cases: [string, string | Buffer, string][] = [
      [
        JAN,
        `${dumpCsv(SMALL)}20260109,${imei14(5)},${alphaImsi(5)},${msisdn(5)},099\n`,
        'CEIR_ERR_PARSE',
      ],
      [JAN, 'date,imei,imsi\n', 'CEIR_ERR_PARSE'],
      [JAN, '', 'CEIR_ERR_PARSE'],
      [`${JAN}.gz`, gzip(`${dumpCsv(SMALL)}2026-01-09,${imei14(5)},,,006\n`), 'CEIR_ERR_PARSE'],
      // A gate: 2 of 4 rows without IMEI.
      [
        JAN,
        dumpCsv([
          ...SMALL.slice(0, 2),
          ['20260105', '', '', '', '006'],
          ['20260105', ' ', '', '', ''],
        ]),
        'CEIR_ERR_GATE_FAILED',
      ],
      // A date outside the period.
      [
        JAN,
        dumpCsv([...SMALL, ['20260201', imei14(9), alphaImsi(9), msisdn(9), '006']]),
        'CEIR_ERR_GATE_FAILED',
      ],
      ['delta_20260101_20260131.csv', dumpCsv(SMALL), 'CEIR_ERR_USAGE'],
      ['no-convention.csv', dumpCsv(SMALL), 'CEIR_ERR_USAGE'],
      // Not a gzip stream although it says so.
      [
        `${JAN}.gz`,
        Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from('garbage')]),
        'CEIR_ERR_INPUT_FILE',
      ],
    ];
    for (const [name, content, code] of cases) {
      const o = rejected(await c.importDump(name, content, { gates: DEFAULT_GATES }));
      assert.equal(o.error.code, code, `${name}: ${o.error.message}`);
      assert.deepEqual(await c.snapshot(), before, `${name} ${code}: nothing changed`);
    }
    const missing = rejected(
      await c.importFile(join(c.dir, 'in', 'alpha_20260101_20260131.csv.missing')),
    );
    assert.equal(missing.error.code, 'CEIR_ERR_USAGE'); // no convention: checked first
    const gone = rejected(await c.importFile(join(c.dir, 'nowhere', JAN)));
    assert.equal(gone.error.code, 'CEIR_ERR_INPUT_FILE');
    assert.deepEqual(await c.snapshot(), before);
    // After all these, the good file still imports.
    imported(await c.importDump(JAN, dumpCsv(SMALL)));
    assert.equal((await c.store.counts()).triplets, 5);
  });
});

test('the same content imported twice (plain, gzip, zip, renamed) is a duplicate', async () => {
  await withStore(async (c) => {
    const text = dumpCsv(SMALL);
    const first = imported(await c.importDump(JAN, text));
    const after = await c.snapshot();
    const again = await c.importDump(JAN, text);
    assert.equal(again.kind, 'duplicate');
    if (again.kind === 'duplicate') assert.equal(again.previous.id, first.record.id);
    const gz = await c.importDump(`${JAN}.gz`, gzip(text));
    assert.equal(gz.kind, 'duplicate', 'gzip of the same bytes');
    const zipFile = join(c.dir, 'in', `${JAN}.zip`);
    await writeZip(zipFile, JAN, text);
    const zip = await c.importFile(zipFile);
    assert.equal(zip.kind, 'duplicate', 'zip of the same bytes');
    // The file name plays no part (the content is what was imported).
    const renamed = await c.importDump('copy.csv', text, {
      operator: 'alpha',
      period: { start: 20260101, end: 20260131 },
    });
    assert.equal(renamed.kind, 'duplicate');
    assert.deepEqual(await c.snapshot(), after, 'duplicates change nothing');
    // One byte more is new content.
    imported(await c.importDump(JAN, `${text}\n`));
  });
});

test('gzip and zip dumps give the same triplets as the plain file', async () => {
  const rnd = prng(7);
  const rows: Row[] = Array.from({ length: 3000 }, () => {
    const i = Math.floor(rnd() * 60);
    const j = Math.floor(rnd() * 30);
    return [
      `202601${String(1 + Math.floor(rnd() * 31)).padStart(2, '0')}`,
      i % 20 === 0 ? `x${i}` : imei14(i),
      alphaImsi(j),
      msisdn(j % 7),
      CODES[(i + j) % CODES.length]!,
    ];
  });
  const text = dumpCsv(rows, '\r\n');
  const exp = expectedSightings('alpha', rows);
  const shas: string[] = [];
  for (const kind of ['plain', 'gzip', 'zip'] as const)
    await withStore(async (c) => {
      let file: string;
      if (kind === 'plain') file = c.write(JAN, text);
      else if (kind === 'gzip') file = c.write(`${JAN}.gz`, gzip(text));
      else {
        file = join(c.dir, 'in', `${JAN}.zip`);
        await writeZip(file, JAN, text);
      }
      const o = imported(await c.importFile(file));
      shas.push(o.record.sha256);
      assert.equal(o.record.rows, rows.length, kind);
      assert.equal((await c.store.counts()).triplets, tripletCount(exp), kind);
      await assertSightings(c.store, exp);
    });
  assert.deepEqual(shas, [shas[0], shas[0], shas[0]]);
});

test('generated dumps: plain, gzip and zip of one seed import alike; the others are duplicates', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-gen-'));
  try {
    const files: Record<string, string> = {};
    for (const compression of ['plain', 'gzip', 'zip'] as const) {
      const s = await generateDataset({
        config: CONFIG,
        outDir: join(dir, compression),
        rows: 5000,
        seed: 11,
        startMonth: '2026-03',
        months: 1,
        operators: ['beta'],
        compression,
      });
      const dump = s.files.find((f) => f.kind === 'operator_dump');
      assert.ok(dump);
      files[compression] = dump.path;
    }
    assert.match(files.zip!, /beta_20260301_20260331\.csv\.zip$/);
    const results: unknown[] = [];
    for (const compression of ['plain', 'gzip', 'zip'])
      await withStore(async (c) => {
        const o = imported(await c.importFile(files[compression]!, { gates: DEFAULT_GATES }));
        assert.equal(o.record.operator, 'beta');
        const r = o.record;
        results.push({
          sha256: r.sha256,
          rows: r.rows,
          accepted: r.accepted,
          period: [r.periodStart, r.periodEnd],
          gates: r.gates,
          counts: await c.store.counts(),
        });
      });
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[2], results[0]);
    await withStore(async (c) => {
      imported(await c.importFile(files.zip!));
      assert.equal((await c.importFile(files.plain!)).kind, 'duplicate');
      assert.equal((await c.importFile(files.gzip!)).kind, 'duplicate');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Operator and period.

test('operator and period options override the file name', async () => {
  await withStore(async (c) => {
    const feb: Row[] = [['20260214', imei14(1), '001020000000001', msisdn(1), '006']];
    // No convention and no options: usage error naming the convention.
    let r = rejected(await c.importDump('dump.csv', dumpCsv(feb)));
    assert.equal(r.error.code, 'CEIR_ERR_USAGE');
    assert.match(r.error.message, /<operator>_<YYYYMMDD>_<YYYYMMDD>/);
    // Only one of the two given: still unknown.
    r = rejected(await c.importDump('dump.csv', dumpCsv(feb), { operator: 'beta' }));
    assert.equal(r.error.code, 'CEIR_ERR_USAGE');
    r = rejected(
      await c.importDump('dump.csv', dumpCsv(feb), { period: { start: 20260201, end: 20260228 } }),
    );
    assert.equal(r.error.code, 'CEIR_ERR_USAGE');
    // Both given.
    const o = imported(
      await c.importDump('dump.csv', dumpCsv(feb), {
        operator: 'beta',
        period: { start: 20260201, end: 20260228 },
        gates: DEFAULT_GATES,
      }),
    );
    assert.equal(o.record.operator, 'beta');
    assert.equal(o.record.periodStart, '2026-02-01');
    assert.equal(o.record.periodEnd, '2026-02-28');
    assert.equal((await c.store.sightings(imei14(1)))[0]?.operator, 'beta');

    // A conventional name, overridden: the options win.
    const mar: Row[] = [['20260310', imei14(2), '001040000000002', msisdn(2), '006']];
    const g = imported(
      await c.importDump(JAN, dumpCsv(mar), {
        operator: 'gamma',
        period: { start: 20260301, end: 20260315 },
        gates: DEFAULT_GATES,
      }),
    );
    assert.equal(g.record.operator, 'gamma');
    assert.equal(g.record.periodStart, '2026-03-01');
    assert.equal(g.record.periodEnd, '2026-03-15');
    assert.deepEqual(
      (await c.store.sightings(imei14(2))).map((s) => [s.operator, s.month, s.firstSeen]),
      [['gamma', '2026-03-01', '2026-03-10']],
    );
    // The period from the name, the operator from the option.
    const jan: Row[] = [['20260131', imei14(3), '001020000000003', msisdn(3), '006']];
    const b = imported(
      await c.importDump(JAN, dumpCsv(jan), { operator: 'beta', gates: DEFAULT_GATES }),
    );
    assert.equal(b.record.operator, 'beta');
    assert.equal(b.record.periodEnd, '2026-01-31');
    // The file name's period applies unless overridden: March rows in a January file fail.
    const mar2: Row[] = [['20260311', imei14(4), '001040000000004', msisdn(4), '006']];
    const wrong = rejected(
      await c.importDump('gamma_20260101_20260131.csv', dumpCsv(mar2), { gates: DEFAULT_GATES }),
    );
    assert.equal(wrong.error.rule, 'date_in_period');
  });
});

test('an unknown operator is a usage error listing the configured ones', async () => {
  await withStore(async (c) => {
    for (const [name, operator] of [
      ['delta_20260101_20260131.csv', undefined],
      [JAN, 'zeta'],
      ['ALPHA_20260101_20260131.csv', undefined], // ids are case-sensitive
    ] as const) {
      const r = rejected(await c.importDump(name, dumpCsv(SMALL), operator ? { operator } : {}));
      assert.equal(r.error.code, 'CEIR_ERR_USAGE');
      assert.match(r.error.message, /Unknown operator/);
      assert.match(r.error.message, /alpha, beta, gamma/);
      assert.equal(r.error.at?.file, join(c.dir, 'in', name));
      assert.deepEqual(r.gates, []);
    }
    assert.equal((await c.store.counts()).imports, 0);
  });
});

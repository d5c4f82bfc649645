/**
 * Operator-dump parsing through `importOperatorDump` against a real DuckDB store: header rules,
 * line endings, row errors with their location, chunk boundaries, and the IMEI normalisation
 * oracle (the parser must store every IMEI under `normaliseImei(field).norm`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normaliseImei } from '../../core/ids/imei.js';
import type { ImportOutcome } from '../outcome.js';
import {
  alphaImsi,
  assertSightings,
  CONFIG,
  dumpCsv,
  expectedSightings,
  gzip,
  HEADER,
  imei14,
  imported,
  LAX_GATES,
  msisdn,
  openStore,
  rejected,
  tripletCount,
  withStore,
  type Row,
} from './test-fixtures.js';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOperatorDump } from './import-operator-dump.js';

const JAN = 'alpha_20260101_20260131.csv';
const A = '35209900176148';
const B = '49015420323751';
const C = '26053179311383';

function sighting(imsi: string | null, msisdnV: string | null, day: number, ratMask: number) {
  const iso = `2026-01-${String(day).padStart(2, '0')}`;
  return {
    operator: 'alpha',
    month: '2026-01-01',
    imsi,
    msisdn: msisdnV,
    firstSeen: iso,
    lastSeen: iso,
    dayMask: 2 ** (day - 1),
    ratMask,
  };
}

test('header: case-insensitive, any order, extra columns ignored', async () => {
  await withStore(async (c) => {
    const text =
      'RAT,msisdn,IMSI,imei,Date\n' +
      `006,${msisdn(1)},${alphaImsi(1)},${A},20260105\n` +
      `001|002,${msisdn(2)},${alphaImsi(2)},${B},20260106\n`;
    const o = imported(await c.importDump(JAN, text));
    assert.equal(o.record.rows, 2);
    assert.deepEqual(await c.store.sightings(A), [sighting(alphaImsi(1), msisdn(1), 5, 32)]);
    assert.deepEqual(await c.store.sightings(B), [sighting(alphaImsi(2), msisdn(2), 6, 3)]);

    const extra =
      ' Cell_ID , DATE ,Imei,vendor, imsi ,MSISDN,Rat,note\n' +
      `c1,20260107,${C},acme,${alphaImsi(3)},${msisdn(3)},006,"n"\n` +
      `,20260108,${C},,${alphaImsi(3)},${msisdn(3)},010,\n`;
    imported(await c.importDump('alpha_20260101_20260130.csv', extra));
    assert.deepEqual(await c.store.sightings(C), [
      { ...sighting(alphaImsi(3), msisdn(3), 7, 32 | 512), lastSeen: '2026-01-08', dayMask: 192 },
    ]);
  });
});

test('CRLF, UTF-8 BOM, blank lines and a last line without newline', async () => {
  await withStore(async (c) => {
    const rows = [
      `20260103,${A},${alphaImsi(1)},${msisdn(1)},006`,
      '',
      `20260104,${B},${alphaImsi(2)},${msisdn(2)},002`,
      '',
      '',
      `20260105,${C},${alphaImsi(3)},${msisdn(3)},001|006`,
    ];
    const text = '\uFEFF' + [HEADER, ...rows].join('\r\n'); // no final newline
    const o = imported(await c.importDump(JAN, text));
    assert.equal(o.record.rows, 3);
    assert.deepEqual(await c.store.sightings(A), [sighting(alphaImsi(1), msisdn(1), 3, 32)]);
    assert.deepEqual(await c.store.sightings(B), [sighting(alphaImsi(2), msisdn(2), 4, 2)]);
    assert.deepEqual(await c.store.sightings(C), [sighting(alphaImsi(3), msisdn(3), 5, 33)]);
    assert.equal((await c.store.counts()).triplets, 3);

    // LF file whose last line has no newline; blank line with CRLF in an LF file.
    const lf = `${HEADER}\n\r\n${'20260110'},${A},${alphaImsi(9)},,010`;
    imported(await c.importDump('alpha_20260101_20260130.csv', lf));
    assert.deepEqual(
      (await c.store.sightings(A)).find((s) => s.imsi === alphaImsi(9)),
      sighting(alphaImsi(9), null, 10, 512),
    );
  });
});

test('identifiers: IMEI forms, spaces around fields, IMSI/MSISDN keys and texts', async () => {
  await withStore(async (c) => {
    const rows: Row[] = [
      ['20260101', '352099001761481', alphaImsi(1), msisdn(1), '006'], // IMEI + check digit
      ['20260102', '3520990017614801', alphaImsi(1), msisdn(1), '001'], // IMEISV
      ['20260103', ` ${A}\t`, ` ${alphaImsi(1)} `, ` ${msisdn(1)} `, ' 002'], // padded
      ['20260104', '22345678901233ab', '001019999999999', `+${msisdn(4)}`, '006'],
      ['20260105', '22a456789012345', '0010199999999991234', 'N/A', '101|105'],
      ['20260106', '52003020863612#', 'IMSI-X', '', '006'],
      ['20260107', 'abc-1', '', '', ''],
      ['20260108', 'ABC-1', '00101', '1', '007|007'],
      ['20260109', '01234567890123', alphaImsi(2), msisdn(2), '008|009|010'],
    ];
    const o = imported(await c.importDump(JAN, dumpCsv(rows)));
    assert.equal(o.counts.malformed_imei, 3);
    assert.equal(o.counts.skipped_null_imei, 0);
    const exp = expectedSightings('alpha', rows);
    // The oracle's keys are the domain.md examples.
    assert.deepEqual(
      [...exp.keys()].sort(),
      [A, '22345678901233', '22A456789012345', '52003020863612', 'ABC-1', '01234567890123'].sort(),
    );
    assert.deepEqual(await c.store.sightings(A), [
      {
        ...sighting(alphaImsi(1), msisdn(1), 1, 0b100011),
        lastSeen: '2026-01-03',
        dayMask: 0b111,
      },
    ]);
    assert.deepEqual(await c.store.sightings('22345678901233'), [
      sighting('001019999999999', msisdn(4), 4, 32),
    ]);
    assert.deepEqual(await c.store.sightings('22A456789012345'), [
      sighting('0010199999999991234', 'N/A', 5, (1 << 10) | (1 << 14)),
    ]);
    assert.deepEqual(await c.store.sightings('52003020863612'), [sighting('IMSI-X', null, 6, 32)]);
    assert.deepEqual(await c.store.sightings('01234567890123'), [
      sighting(alphaImsi(2), msisdn(2), 9, 0b1110000000),
    ]);
    await assertSightings(c.store, exp);
    assert.equal((await c.store.counts()).triplets, tripletCount(exp));
    assert.deepEqual(await c.store.sightings('abc-1'), [], 'stored upper-cased only');
  });
});

// ---------------------------------------------------------------------------------------------
// Rejections with their location.

interface BadCase {
  readonly name: string;
  readonly text: string;
  readonly line: number;
  readonly field?: string;
  readonly rule: string;
  readonly message: RegExp;
}

const ok1 = `20260105,${A},${alphaImsi(1)},${msisdn(1)},006`;
const ok2 = `20260106,${B},${alphaImsi(2)},${msisdn(2)},002`;
const BAD: BadCase[] = [
  {
    name: 'too few columns',
    text: `${HEADER}\n${ok1}\n20260105,${A},${alphaImsi(1)},${msisdn(1)}\n`,
    line: 3,
    rule: 'columns',
    message: /expected 5 columns, found 4/,
  },
  {
    name: 'one column',
    text: `${HEADER}\n${ok1}\n${ok2}\n20260105\n`,
    line: 4,
    rule: 'columns',
    message: /expected 5 columns/,
  },
  {
    name: 'too many columns',
    text: `${HEADER}\n${ok1}\n${ok2},x\n`,
    line: 3,
    rule: 'columns',
    message: /expected 5 columns, found more/,
  },
  {
    name: 'ISO date',
    text: `${HEADER}\n${ok1}\n2026-01-05,${A},${alphaImsi(1)},${msisdn(1)},006\n`,
    line: 3,
    field: 'date',
    rule: 'date',
    message: /2026-01-05/,
  },
  {
    name: 'day 32',
    text: `${HEADER}\n20260132,${A},${alphaImsi(1)},${msisdn(1)},006\n`,
    line: 2,
    field: 'date',
    rule: 'date',
    message: /expected YYYYMMDD/, // quoting the value: see the todo test below
  },
  {
    name: '29 February 2026',
    text: `${HEADER}\n${ok1}\n${ok2}\n20260229,${A},${alphaImsi(1)},${msisdn(1)},006\n`,
    line: 4,
    field: 'date',
    rule: 'date',
    message: /expected YYYYMMDD/,
  },
  {
    name: '7-digit date',
    text: `${HEADER}\n2026011,${A},${alphaImsi(1)},${msisdn(1)},006\n`,
    line: 2,
    field: 'date',
    rule: 'date',
    message: /2026011/,
  },
  {
    name: 'empty date',
    text: `${HEADER}\n${ok1}\n,${A},${alphaImsi(1)},${msisdn(1)},006\n`,
    line: 3,
    field: 'date',
    rule: 'date',
    message: /expected YYYYMMDD/,
  },
  {
    name: 'unknown RAT 099',
    text: `${HEADER}\n${ok1}\n${ok2}\n20260105,${A},${alphaImsi(1)},${msisdn(1)},099\n`,
    line: 4,
    field: 'rat',
    rule: 'rat',
    message: /099/,
  },
  {
    name: 'unknown RAT in a list',
    text: `${HEADER}\n20260105,${A},${alphaImsi(1)},${msisdn(1)},001|011\n`,
    line: 2,
    field: 'rat',
    rule: 'rat',
    message: /001\|011/,
  },
  {
    name: 'RAT not a code',
    text: `${HEADER}\n20260105,${A},${alphaImsi(1)},${msisdn(1)},LTE\n`,
    line: 2,
    field: 'rat',
    rule: 'rat',
    message: /LTE/,
  },
  {
    name: 'RAT as the first column, line count through blank CRLF lines',
    text: `rat,date,imei,imsi,msisdn\r\n006,20260105,${A},,\r\n\r\n\r\n1000,20260105,${A},,\r\n`,
    line: 5,
    field: 'rat',
    rule: 'rat',
    message: /1000/,
  },
  {
    name: 'bad date after a BOM header and blank lines',
    text: `\uFEFF${HEADER}\n\n${ok1}\n\n\n2026013,${A},,,006`,
    line: 6,
    field: 'date',
    rule: 'date',
    message: /2026013/,
  },
];

test('rows that cannot be parsed reject the file with CEIR_ERR_PARSE at file:line field', async () => {
  await withStore(async (c) => {
    for (const bad of BAD) {
      const file = c.write(JAN, bad.text);
      const o = rejected(await c.importFile(file));
      assert.equal(o.error.code, 'CEIR_ERR_PARSE', bad.name);
      assert.equal(o.error.at?.file, file, bad.name);
      assert.equal(o.error.at?.line, bad.line, `${bad.name}: line`);
      if (bad.field) assert.equal(o.error.at?.field, bad.field, `${bad.name}: field`);
      assert.equal(o.error.rule, bad.rule, bad.name);
      assert.match(o.error.message, bad.message, bad.name);
      assert.deepEqual(o.gates, [], bad.name);
    }
    // The same errors arrive through gzip.
    const o = rejected(await c.importDump(`${JAN}.gz`, gzip(BAD[3]!.text)));
    assert.equal(o.error.at?.line, 3);
    assert.equal(o.error.at?.field, 'date');
    const counts = await c.store.counts();
    assert.equal(counts.triplets, 0);
    assert.equal(counts.imports, 0);
  });
});

test('an 8-digit date that is not a real day is quoted in the error message', async () => {
  await withStore(async (c) => {
    for (const [text, bad] of [
      [`${HEADER}\n20260132,${A},${alphaImsi(1)},${msisdn(1)},006\n`, '20260132'],
      [`${HEADER}\n${ok1}\n20260229,${A},${alphaImsi(1)},${msisdn(1)},006\n`, '20260229'],
      // Here the message names the MSISDN before it: 'Cannot parse date "N/A"'.
      [`imei,msisdn,date,imsi,rat\n${A},N/A,20261301,${alphaImsi(1)},006\n`, '20261301'],
    ]) {
      const o = rejected(await c.importDump(JAN, text!));
      assert.match(o.error.message, new RegExp(`"${bad}"`));
    }
  });
});

test('a header without a required column is rejected naming the column', async () => {
  await withStore(async (c) => {
    const cases: [string, string][] = [
      ['date,imei,imsi,rat', 'msisdn'],
      ['imei,imsi,msisdn,rat', 'date'],
      ['date,imei_number,imsi,msisdn,rat', 'imei'],
      ['date,imei,msisdn,rat', 'imsi'],
      ['date;imei;imsi;msisdn;rat', 'date'],
      ['date,imei,imsi,msisdn', 'rat'],
    ];
    for (const [header, column] of cases) {
      const o = rejected(
        await c.importDump(JAN, `${header}\n20260105,${A},${alphaImsi(1)},${msisdn(1)},006\n`),
      );
      assert.equal(o.error.code, 'CEIR_ERR_PARSE', header);
      assert.equal(o.error.at?.line, 1, header);
      assert.equal(o.error.at?.field, column, header);
      assert.equal(o.error.rule, 'header', header);
      assert.match(o.error.message, new RegExp(`"${column}"`), header);
    }
  });
});

test('an empty file is rejected (plain and gzip)', async () => {
  await withStore(async (c) => {
    for (const content of ['', gzip('')]) {
      const o = rejected(await c.importDump(JAN, content));
      assert.equal(o.error.code, 'CEIR_ERR_PARSE');
      assert.equal(o.error.at?.line, 1);
      assert.match(o.error.message, /empty/);
    }
    assert.equal((await c.store.counts()).imports, 0);
  });
});

// ---------------------------------------------------------------------------------------------
// Chunk boundaries: the reader hands the parser 1 MiB chunks (gzip: 256 KiB).

const MIB = 1 << 20;
const BIG_HEADER = `${HEADER},pad`;

interface Target {
  /** Byte offset of a chunk boundary. */
  readonly boundary: number;
  /** Where the boundary falls in the target line (0 = the line starts on it). */
  readonly at: (lineLength: number) => number;
  /** Replaces the target line's row (e.g. with a bad field). */
  readonly row?: Row;
}

interface BigDump {
  readonly text: string;
  readonly rows: Row[];
  /** 1-based line numbers and rows of the lines straddling a boundary. */
  readonly straddlers: { line: number; row: Row }[];
}

/**
 * A CRLF dump in which each target line straddles its chunk boundary at the given position: a
 * filler line with a padded extra column is sized to put the target line exactly there.
 */
function bigDump(targets: readonly Target[]): BigDump {
  const eol = '\r\n';
  const parts = [BIG_HEADER + eol];
  let off = parts[0]!.length;
  let line = 1;
  const rows: Row[] = [];
  const straddlers: BigDump['straddlers'] = [];
  let i = 0;
  const row = (n: number): Row => [
    `202601${String(1 + (n % 31)).padStart(2, '0')}`,
    n % 97 === 0 ? `T${n % 20}x` : imei14(n % 5000),
    n % 53 === 0 ? '' : alphaImsi(n % 7000),
    n % 41 === 0 ? '' : msisdn(n % 6000),
    ['006', '001|006', '002', '010'][n % 4]!,
  ];
  const emit = (r: Row, pad: string) => {
    const s = [...r, pad].join(',') + eol;
    parts.push(s);
    off += s.length;
    line++;
    return s.length;
  };
  for (const t of targets) {
    for (;;) {
      const targetRow: Row = t.row ?? [
        '20260115',
        `${imei14(900_000 + straddlers.length)}7`,
        alphaImsi(900_000 + straddlers.length),
        msisdn(900_000 + straddlers.length),
        '001|002|006',
      ];
      const targetLen = [...targetRow, 'p'].join(',').length + eol.length;
      const k = t.at(targetLen);
      const filler = row(i);
      const base = [...filler, ''].join(',').length + eol.length;
      const need = t.boundary - off - k;
      if (need >= base && need < base + 300) {
        rows.push(filler);
        emit(filler, 'x'.repeat(need - base));
        i++;
        assert.equal(off, t.boundary - k);
        rows.push(targetRow);
        emit(targetRow, 'p');
        straddlers.push({ line, row: targetRow });
        break;
      }
      rows.push(filler);
      emit(filler, 'p');
      i++;
    }
  }
  for (let j = 0; j < 500; j++) {
    const r = row(i++);
    rows.push(r);
    emit(r, 'p');
  }
  return { text: parts.join(''), rows, straddlers };
}

const AT: ((len: number) => number)[] = [
  () => 0, // the line starts on the boundary (previous line ends exactly there)
  () => 1, // a one-byte piece of the line before the boundary
  () => 4, // inside the date
  () => 15, // inside the IMEI
  () => 30, // inside the IMSI
  (len) => len - 3, // inside the pad column
  (len) => len - 2, // on the '\r'
  (len) => len - 1, // between '\r' and '\n'
];

test('rows straddling 1 MiB chunk boundaries all import (plain and gzip)', async () => {
  const dump = bigDump(AT.map((at, k) => ({ boundary: (k + 1) * MIB, at })));
  assert.ok(dump.text.length > 7 * MIB);
  const exp = expectedSightings('alpha', dump.rows);
  // Every straddling row, the malformed IMEIs and a sample of the others, with exact values.
  const straddling = new Set(dump.straddlers.map((s) => normaliseImei(s.row[1]).norm));
  const sample = new Map(
    [...exp].filter(([k], n) => n % 250 === 0 || straddling.has(k) || k.startsWith('T')),
  );
  assert.ok(sample.size > 40);
  for (const content of [dump.text, gzip(dump.text)])
    await withStore(async (c) => {
      const o = imported(await c.importDump(JAN, content));
      assert.equal(o.record.rows, dump.rows.length);
      assert.equal(o.counts.malformed_imei, dump.rows.filter((r) => r[1].startsWith('T')).length);
      const counts = await c.store.counts();
      assert.equal(counts.triplets, tripletCount(exp));
      assert.equal(counts.imeis, exp.size);
      await assertSightings(c.store, sample);
    });
});

test('a bad row straddling a chunk boundary is reported on its own line', async () => {
  await withStore(async (c) => {
    const cases: [Target, string, RegExp][] = [
      [
        { boundary: MIB, at: () => 5, row: ['20260X15', A, alphaImsi(1), msisdn(1), '006'] },
        'date',
        /20260X15/,
      ],
      [
        {
          boundary: MIB,
          at: (len) => len - 6,
          row: ['20260115', A, alphaImsi(1), msisdn(1), '001|099'],
        },
        'rat',
        /001\|099/,
      ],
    ];
    for (const [target, field, message] of cases) {
      const dump = bigDump([target]);
      const o = rejected(await c.importDump(JAN, dump.text));
      assert.equal(o.error.code, 'CEIR_ERR_PARSE');
      assert.equal(o.error.at?.line, dump.straddlers[0]!.line);
      assert.equal(o.error.at?.field, field);
      assert.match(o.error.message, message);
    }
    assert.equal((await c.store.counts()).triplets, 0);
  });
});

// ---------------------------------------------------------------------------------------------
// Normalisation oracle: the IMEI of every row is stored under normaliseImei(field).norm.

const DIGITS = '0123456789'.split('');
const OTHER = ['a', 'b', 'z', 'A', 'Z', ' ', '\t', '#', '-', '*', '.', '/', '_', ':', '+'];
const UNICODE = ['é', 'ß', 'ñ', 'ж', '中', '😀', 'İ', 'ﬀ', 'ǆ', '٣', '０'];
/** White space that JavaScript's trim() removes but the ASCII space and tab. */
const UNICODE_SPACE = ['\u00a0', '\u2003', '\u3000', '\u202f', '\ufeff', '\v', '\f'];

function imeiField(extra: readonly string[] = []): fc.Arbitrary<string> {
  const pad = fc.string({ unit: fc.constantFrom(' ', '\t', ...extra), maxLength: 3 });
  const any = fc.constantFrom(...DIGITS, ...DIGITS, ...OTHER, ...UNICODE, ...extra);
  return fc.oneof(
    fc.string({ unit: any, maxLength: 20 }),
    fc
      .tuple(
        pad,
        fc.string({ unit: fc.constantFrom(...DIGITS), minLength: 12, maxLength: 17 }),
        fc.string({ unit: any, maxLength: 4 }),
        pad,
      )
      .map((p) => p.join('')),
    fc.constantFrom(
      '22345678901233ab',
      '22a456789012345',
      '52003020863612#',
      '',
      '   ',
      '\t',
      '352099001761481',
      '3520990017614',
      '000000000000000',
      '00000000000000',
    ),
  );
}

interface NormCtx {
  readonly dir: string;
  readonly spoolDir: string;
  readonly store: Awaited<ReturnType<typeof openStore>>;
  n: number;
}

let norm: NormCtx | undefined;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ceir-dump-norm-'));
  const spoolDir = join(dir, 'spool');
  mkdirSync(spoolDir);
  norm = { dir, spoolDir, store: await openStore(join(dir, 'data')), n: 0 };
});

after(async () => {
  if (!norm) return;
  await norm.store.close();
  rmSync(norm.dir, { recursive: true, force: true });
});

/** Imports one dump with a row per field (distinct IMSIs); checks where each IMEI landed. */
async function checkNormalisation(fields: readonly string[]): Promise<void> {
  const c = norm!;
  const run = ++c.n;
  const imsiOf = (j: number) => alphaImsi(run * 1000 + j);
  const rows: Row[] = fields.map((f, j) => ['20260105', f, imsiOf(j), msisdn(j), '006']);
  const file = join(c.dir, `alpha_20260101_20260131-${run}.csv`);
  writeFileSync(file, dumpCsv(rows));
  const before = await c.store.counts();
  const o: ImportOutcome = await importOperatorDump(c.store, {
    file,
    operator: 'alpha',
    period: { start: 20260101, end: 20260131 },
    config: CONFIG,
    gates: LAX_GATES,
    spoolDir: c.spoolDir,
  });
  const r = imported(o);
  const norms = fields.map((f) => normaliseImei(f));
  const blanks = norms.filter((x) => x.norm === '').length;
  assert.equal(r.counts.skipped_null_imei, blanks, 'null IMEIs');
  assert.equal(
    r.counts.malformed_imei,
    norms.filter((x) => x.kind === 'malformed' && x.norm !== '').length,
    'malformed IMEIs',
  );
  const afterCounts = await c.store.counts();
  assert.equal(afterCounts.triplets - before.triplets, fields.length - blanks, 'triplets added');
  for (const [j, x] of norms.entries()) {
    if (x.norm === '') continue;
    const got = (await c.store.sightings(x.norm)).filter((s) => s.imsi === imsiOf(j));
    assert.equal(got.length, 1, `IMEI field ${JSON.stringify(fields[j])} -> ${x.norm}`);
    assert.equal(got[0]!.msisdn, msisdn(j));
  }
  assert.deepEqual(readdirSync(c.spoolDir), []);
}

test('normalisation oracle: the domain.md examples', async () => {
  await checkNormalisation([
    '22345678901233ab',
    '22a456789012345',
    '52003020863612#',
    '  ',
    '352099001761481',
    ' 35209900176148 ',
    'abc',
    'ABC',
  ]);
  const s = await norm!.store.sightings('22A456789012345');
  assert.equal(s.length, 1);
  assert.equal((await norm!.store.sightings('ABC')).length, 2, 'abc and ABC are one IMEI');
});

test('normalisation oracle: arbitrary IMEI fields (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(imeiField(UNICODE_SPACE), { minLength: 1, maxLength: 60 }),
      checkNormalisation,
    ),
    { numRuns: 25 },
  );
});

test('normalisation oracle: Unicode white space is trimmed like normaliseImei', async () => {
  await checkNormalisation([
    '\u00a035209900176148',
    '\u3000',
    'AB\u2003',
    '\ufeff22a456789012345\u202f',
    '\v\f',
    '\u2003 \t',
  ]);
});

test('the all-zero IMEI 00000000000000 is stored like any other valid IMEI', async () => {
  await withStore(async (c) => {
    const rows: Row[] = [
      ['20260105', '000000000000000', alphaImsi(1), msisdn(1), '006'],
      ['20260106', '00000000000000', alphaImsi(1), msisdn(1), '001'],
    ];
    const o = imported(await c.importDump(JAN, dumpCsv(rows)));
    assert.equal(o.counts.skipped_null_imei, 0);
    assert.deepEqual(await c.store.sightings('00000000000000'), [
      {
        ...sighting(alphaImsi(1), msisdn(1), 5, 33),
        lastSeen: '2026-01-06',
        dayMask: 0b110000,
      },
    ]);
    assert.equal((await c.store.counts()).imeis, 1);
  });
});

test('RAT lists with spaces around codes keep every code; junk after a space is refused', async () => {
  await withStore(async (c) => {
    imported(
      await c.importDump(JAN, dumpCsv([['20260105', A, alphaImsi(1), msisdn(1), '001 | 006']])),
    );
    assert.equal((await c.store.sightings(A))[0]?.ratMask, 33, 'core parseRatList gives 001+006');
    const o = await c.importDump(
      'alpha_20260101_20260130.csv',
      dumpCsv([['20260105', B, alphaImsi(1), msisdn(1), '006 junk']]),
    );
    assert.equal(o.kind, 'rejected', 'unknown RAT "006 junk"');
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  INTERFACES,
  OBSERVED_STATUSES,
  observationBatchOf,
  readObservationBatch,
  type CheckObservation,
} from './observation-batch.js';
import {
  csvField,
  observationCsv,
  observationCsvChunks,
  observationCsvStream,
} from './observation-csv.js';

/**
 * The reference: the lines the stores were given before `observationCsv` wrote them from the
 * bytes (one object and one template string per observation read back from the batch).
 */
function referenceLines(observations: readonly CheckObservation[]): string[] {
  const parts: string[] = [];
  for (const o of observations) {
    const m = /^\s*([0-9]{14})/.exec(o.imei);
    if (!m || !Number.isFinite(o.time)) continue;
    const imsi = o.imsi !== undefined && /^[0-9]{1,15}$/.test(o.imsi) ? `1${o.imsi}` : '';
    parts.push(
      `${Math.trunc(o.time)},${Number(m[1])},${imsi},${csvField(o.peer)},${csvField(o.interface)},${csvField(o.status)}\n`,
    );
  }
  return parts;
}

const latin1 = (max: number) =>
  fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength: max })
    .map((cs) => String.fromCharCode(...cs));
/** Texts near the rules' edges: white space, digits, 13-16 digits, IMSIs of 0-16 digits. */
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
const spaced = fc
  .tuple(fc.constantFrom('', ' ', '\t', '\u00a0', '\n', '\u0085', 'x'), digits(12, 16), latin1(3))
  .map(([a, b, c]) => a + b + c);

const observation: fc.Arbitrary<CheckObservation> = fc
  .record(
    {
      interface: fc.constantFrom(...INTERFACES),
      imei: fc.oneof(digits(14, 16), spaced, latin1(40), fc.string()),
      imsi: fc.oneof(digits(0, 16), latin1(20), fc.string()),
      peer: fc.oneof(fc.constantFrom('mme1.epc.test', 'a,b', 'q"q', 'l\nf', 'ü'), fc.string()),
      time: fc.oneof(
        fc.double(),
        fc.integer({ min: -1e15, max: 2e12 }).map((t) => t + 0.5),
        fc.constantFrom(-0.5, 2 ** 53 + 2, 1e21, -1e300, Infinity, NaN),
      ),
      status: fc.constantFrom(...OBSERVED_STATUSES),
      version: fc.constantFrom('v1', 'v2'),
    },
    { requiredKeys: ['interface', 'imei', 'peer', 'time', 'status', 'version'] },
  )
  .map((o) => ({ ...o }));

test('the lines written from the bytes equal the reference lines of the observations read back', () => {
  fc.assert(
    fc.property(fc.array(fc.array(observation, { maxLength: 40 }), { maxLength: 4 }), (batches) => {
      const bytes = batches.map(observationBatchOf);
      const back = bytes.flatMap(readObservationBatch);
      const want = referenceLines(back);
      const got = observationCsv(bytes);
      assert.equal(Buffer.from(got.bytes).toString('utf8'), want.join(''));
      assert.equal(got.rows, want.length);
    }),
    { numRuns: 300 },
  );
});

test('the pieces join to the same lines; each holds whole batches, at most maxRows unless one batch is more', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(observation, { maxLength: 30 }), { maxLength: 8 }),
      fc.integer({ min: 1, max: 80 }),
      (batches, maxRows) => {
        const bytes = batches.map(observationBatchOf);
        const whole = observationCsv(bytes);
        const pieces = [...observationCsvChunks(bytes, maxRows)];
        assert.equal(
          Buffer.concat(pieces.map((p) => p.bytes)).toString('utf8'),
          Buffer.from(whole.bytes).toString('utf8'),
        );
        assert.equal(
          pieces.reduce((n, p) => n + p.rows, 0),
          whole.rows,
        );
        // Piece i covers whole batches: taking batches in order reproduces every piece.
        let at = 0;
        for (const p of pieces) {
          let taken = 0;
          const from = at;
          do taken += batches[at++]!.length;
          while (at < batches.length && taken + batches[at]!.length <= maxRows);
          assert.ok(taken <= maxRows || at - from === 1, 'over maxRows only as one batch');
          assert.equal(
            Buffer.from(p.bytes).toString('utf8'),
            Buffer.from(observationCsv(bytes.slice(from, at)).bytes).toString('utf8'),
          );
        }
        assert.equal(at, batches.length);
      },
    ),
    { numRuns: 300 },
  );
});

test('the stream gives the same bytes as it is read, and counts the rows of what was taken', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(observation, { maxLength: 30 }), { maxLength: 6 }),
      fc.integer({ min: 1, max: 50 }),
      (batches, maxRows) => {
        const bytes = batches.map(observationBatchOf);
        const whole = observationCsv(bytes);
        const s = observationCsvStream(bytes, maxRows);
        assert.equal(s.rows(), 0, 'nothing made before it is read');
        const got = Buffer.concat([...s.bytes]);
        assert.equal(got.toString('utf8'), Buffer.from(whole.bytes).toString('utf8'));
        assert.equal(s.rows(), whole.rows);
      },
    ),
    { numRuns: 200 },
  );
});

test('a line per stored observation: times, values without leading zeros, IMSI keys, quoting', () => {
  const base = { interface: 's13', version: 'v', status: 'WHITELISTED' } as const;
  const { bytes, rows } = observationCsv([
    observationBatchOf([
      { ...base, time: 1764471600123.9, imei: '00000000001234', imsi: '001', peer: 'a,"b"' },
      { ...base, time: 5, imei: ' 3520990000000117', imsi: '1234567890123456', peer: 'p' },
      { ...base, time: 6, imei: '3520990000001', peer: 'too short' },
      { ...base, time: NaN, imei: '35209900000001', peer: 'no time' },
    ]),
  ]);
  assert.equal(rows, 2);
  assert.equal(
    Buffer.from(bytes).toString('utf8'),
    '1764471600123,1234,1001,"a,""b""",s13,WHITELISTED\n5,35209900000001,,p,s13,WHITELISTED\n',
  );
});

test('bytes that are not a batch are refused', () => {
  assert.throws(() => observationCsv([new Uint8Array([9, 9, 9])]), /not an observation batch/);
});

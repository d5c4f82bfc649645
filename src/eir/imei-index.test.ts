import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ImeiBit, ImeiIndexBuilder, LANES, REASON_SHIFT, bucketsFor } from './imei-index.js';
import { PairIndex } from './pair-index.js';

const imeiNumber = fc.oneof(
  fc.integer({ min: 0, max: 99_999_999_999_999 }),
  // Dense keys of one TAC, and the edges.
  fc.integer({ min: 0, max: 999_999 }).map((snr) => 35_209_900_000_000 + snr),
  fc.constantFrom(0, 1, 99_999_999_999_999, 2 ** 32, 2 ** 32 - 1, 2 ** 33 + 5),
);
const entry = fc.record({
  key: imeiNumber,
  flags: fc.integer({ min: 0, max: 15 }),
  reason: fc.integer({ min: 0, max: 4095 }),
});

test('ImeiIndex agrees with a Map oracle (hits, misses, merged flags, reasons)', () => {
  fc.assert(
    fc.property(
      fc.array(entry, { maxLength: 300 }),
      fc.array(imeiNumber, { maxLength: 100 }),
      (es, probes) => {
        const oracle = new Map<number, number>();
        const b = new ImeiIndexBuilder(es.length);
        for (const { key, flags, reason } of es) {
          b.add(key, flags, reason);
          let s = (oracle.get(key) ?? 0) | flags;
          if (reason > 0) s = (s & 15) | (reason << REASON_SHIFT);
          oracle.set(key, s);
        }
        const idx = b.build();
        assert.equal(idx.count(), oracle.size);
        assert.ok(idx.capacity === bucketsFor(oracle.size) * LANES);
        for (const [k, s] of oracle) assert.equal(idx.get(k), s, `key ${k}`);
        for (const p of probes) assert.equal(idx.get(p), oracle.get(p) ?? 0, `probe ${p}`);
      },
    ),
  );
});

test('ImeiIndex: one probe returns every bit', () => {
  const b = new ImeiIndexBuilder(4);
  b.add(35209900176148, ImeiBit.BLACK, 7);
  b.add(35209900176148, ImeiBit.HAS_EXCEPTION);
  const s = b.build().get(35209900176148);
  assert.equal(s & ImeiBit.BLACK, ImeiBit.BLACK);
  assert.equal(s & ImeiBit.HAS_EXCEPTION, ImeiBit.HAS_EXCEPTION);
  assert.equal(s & ImeiBit.GREY, 0);
  assert.equal(s >>> REASON_SHIFT, 7);
});

test('ImeiIndexBuilder refuses what is not an IMEI number or reason id', () => {
  const b = new ImeiIndexBuilder(4);
  assert.throws(() => b.add(-1, 1), RangeError);
  assert.throws(() => b.add(1e14, 1), RangeError);
  assert.throws(() => b.add(1.5, 1), RangeError);
  assert.throws(() => b.add(1, 1, 4096), RangeError);
});

test('PairIndex agrees with a Set oracle', () => {
  const imsiKey = fc.oneof(
    fc.integer({ min: 1, max: 1_999_999_999_999_999 }),
    fc.integer({ min: 0, max: 999 }).map((n) => 1_001_010_000_000_000 + n),
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(imeiNumber, imsiKey), { maxLength: 200 }),
      fc.array(fc.tuple(imeiNumber, imsiKey), { maxLength: 100 }),
      (pairs, probes) => {
        const oracle = new Set(pairs.map(([a, b]) => `${a}/${b}`));
        const idx = PairIndex.build(
          Float64Array.from(pairs.map((p) => p[0])),
          Float64Array.from(pairs.map((p) => p[1])),
        );
        for (const [a, b] of pairs) assert.ok(idx.has(a, b));
        for (const [a, b] of [...probes, ...pairs.map(([a, b]) => [a, b + 1] as const)])
          assert.equal(idx.has(a, b), oracle.has(`${a}/${b}`), `${a}/${b}`);
      },
    ),
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { observationBatchOf } from '../core/observations/observation-batch.js';
import { CloneDetector, type CloneFlag, type Observation } from './clone-detector.js';

interface Params {
  readonly threshold: number;
  readonly windowSeconds: number;
  readonly minPeers: number;
}

/** Brute force over every accepted observation: the rule of the module comment, literally. */
function oracle(stream: readonly Observation[], p: Params): CloneFlag[] {
  const w = p.windowSeconds * 1000;
  let clock = -Infinity;
  const accepted: { imei: string; imsi: string; peer: string; time: number }[] = [];
  const lastFlag = new Map<string, number>();
  const out: CloneFlag[] = [];
  for (const o of stream) {
    if (!Number.isFinite(o.time)) continue;
    clock = Math.max(clock, o.time);
    const cutoff = clock - w;
    const imei =
      typeof o.imei === 'number'
        ? String(o.imei).padStart(14, '0')
        : /^\s*([0-9]{14})/.exec(o.imei)?.[1];
    if (imei === undefined || o.imsi === undefined || !/^[0-9]{1,15}$/.test(o.imsi)) continue;
    if (o.time <= cutoff) continue;
    accepted.push({ imei, imsi: o.imsi, peer: o.peer, time: o.time });
    if ((lastFlag.get(imei) ?? -Infinity) > cutoff) continue;
    const pairs = new Map<string, { imsi: string; peer: string; time: number }>();
    for (const a of accepted) {
      if (a.imei !== imei || a.time <= cutoff) continue;
      const key = `${a.imsi}|${a.peer}`;
      const prev = pairs.get(key);
      if (!prev || a.time > prev.time) pairs.set(key, a);
    }
    const ps = [...pairs.values()];
    const imsis = new Set(ps.map((x) => x.imsi)).size;
    const peers = new Set(ps.map((x) => x.peer)).size;
    if (imsis <= p.threshold || peers < p.minPeers) continue;
    lastFlag.set(imei, clock);
    const times = ps.map((x) => x.time);
    out.push({
      imei,
      imsis,
      peers,
      firstSeen: Math.min(...times),
      lastSeen: Math.max(...times),
      time: clock,
    });
  }
  return out;
}

const T0 = Date.UTC(2026, 0, 1);

const observation: fc.Arbitrary<Omit<Observation, 'time'> & { dt: number }> = fc.record(
  {
    imei: fc.constantFrom<string | number>(
      '35209900000001',
      35209900000001,
      '352099000000017', // 15 digits: the same IMEI
      '35209900000002',
      1234567890123, // 13 digits as a number: IMEI 01234567890123
      '12AB',
    ),
    imsi: fc.constantFrom('001010000000001', '001010000000002', '001020000000003', '20801', 'X1'),
    peer: fc.constantFrom('mme1', 'mme2', 'amf3'),
    // Mostly forward, sometimes backwards (workers' batches interleave).
    dt: fc.integer({ min: -4000, max: 6000 }),
  },
  { requiredKeys: ['imei', 'peer', 'dt'] },
);

function timed(xs: readonly (Omit<Observation, 'time'> & { dt: number })[]): Observation[] {
  let t = T0;
  return xs.map(({ dt, ...o }) => {
    t += dt;
    return { ...o, time: t };
  });
}

const params: fc.Arbitrary<Params> = fc.record({
  threshold: fc.integer({ min: 1, max: 3 }),
  windowSeconds: fc.constantFrom(5, 10, 30, 0.5),
  minPeers: fc.integer({ min: 1, max: 3 }),
});

test('CloneDetector = brute-force oracle on random streams, whatever the batching', () => {
  fc.assert(
    fc.property(
      fc.array(observation, { minLength: 1, maxLength: 150 }),
      params,
      fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 10 }),
      (xs, p, cuts) => {
        const stream = timed(xs);
        const d = new CloneDetector({ ...p, maxImeis: 100 });
        const got: CloneFlag[] = [];
        for (let i = 0, c = 0; i < stream.length; c++) {
          const n = cuts[c % cuts.length]!;
          got.push(...d.observe(stream.slice(i, i + n)));
          i += n;
        }
        assert.deepEqual(got, oracle(stream, p));
        assert.equal(d.stats().flags, got.length);
      },
    ),
    { numRuns: 600 },
  );
});

test("CloneDetector fed the workers' batches as bytes = the oracle on the same observations", () => {
  fc.assert(
    fc.property(
      fc.array(observation, { minLength: 1, maxLength: 150 }),
      params,
      fc.integer({ min: 1, max: 20 }),
      (xs, p, n) => {
        const stream = timed(xs).map((o) => ({
          ...o,
          imei: typeof o.imei === 'number' ? String(o.imei).padStart(14, '0') : o.imei,
        }));
        const d = new CloneDetector({ ...p, maxImeis: 100 });
        const got: CloneFlag[] = [];
        for (let i = 0; i < stream.length; i += n) {
          const checks = stream.slice(i, i + n).map((o) => ({
            ...o,
            interface: 's13' as const,
            status: 'WHITELISTED',
            version: 'v',
          }));
          got.push(...d.observeBatch(observationBatchOf(checks)));
        }
        assert.deepEqual(got, oracle(stream, p));
      },
    ),
    { numRuns: 300 },
  );
});

test('flags once per window, again after the window', () => {
  const d = new CloneDetector({ threshold: 1, windowSeconds: 60, maxImeis: 10 });
  const o = (imsi: string, peer: string, s: number): Observation => ({
    imei: '35209900000001',
    imsi,
    peer,
    time: T0 + s * 1000,
  });
  assert.deepEqual(d.observe([o('1', 'a', 0), o('2', 'a', 1)]), []); // one peer only
  const [f] = d.observe([o('2', 'b', 2)]);
  assert.deepEqual(f, {
    imei: '35209900000001',
    imsis: 2,
    peers: 2,
    firstSeen: T0,
    lastSeen: T0 + 2000,
    time: T0 + 2000,
  });
  assert.deepEqual(d.observe([o('3', 'c', 30), o('4', 'c', 61)]), []);
  assert.equal(d.observe([o('5', 'a', 62), o('6', 'b', 63)]).length, 1);
});

test('memory is bounded: idle IMEIs expire, maxImeis evicts the least recently observed', () => {
  const d = new CloneDetector({ threshold: 1, windowSeconds: 10, maxImeis: 3 });
  const batch = Array.from({ length: 10 }, (_, i) => ({
    imei: 35209900000000 + i,
    imsi: '001010000000001',
    peer: 'mme1',
    time: T0 + i,
  }));
  d.observe(batch);
  assert.equal(d.stats().tracked, 3);
  assert.equal(d.stats().evicted, 7);
  d.observe([{ imei: 35209900000099, peer: 'mme1', time: T0 + 20_000 }]); // no IMSI: clock only
  assert.equal(d.stats().tracked, 0);
  assert.equal(d.stats().skipped, 1);
  d.observe([{ imei: 1, imsi: '1', peer: 'x', time: T0 }]);
  assert.equal(d.stats().late, 1);
});

test('options are validated', () => {
  assert.throws(() => new CloneDetector({ threshold: 0, windowSeconds: 1, maxImeis: 1 }));
  assert.throws(() => new CloneDetector({ threshold: 1, windowSeconds: 0, maxImeis: 1 }));
  assert.throws(
    () => new CloneDetector({ threshold: 3, windowSeconds: 1, maxImeis: 1, maxPairsPerImei: 3 }),
  );
});

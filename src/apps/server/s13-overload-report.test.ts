import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAvps, findDoic, OC_OLR_DEFAULT_ALGO } from '../../protocols/diameter/index.js';
import { OverloadReporter } from './s13-overload-report.js';

function period(r: OverloadReporter, checked: number, shed: number): void {
  for (let i = 0; i < checked; i++) r.count(false);
  for (let i = 0; i < shed; i++) r.count(true);
}

function decoded(bytes: Buffer) {
  const d = decodeAvps(bytes);
  assert.ok(d.kind === 'ok');
  return findDoic(d.avps);
}

test('without shedding there is no report, only the selected algorithm', () => {
  const r = new OverloadReporter({ periodMs: 1000 }, 0);
  period(r, 500, 0);
  const t = decoded(r.trailer(1000));
  assert.equal(t.featureVector, OC_OLR_DEFAULT_ALGO);
  assert.equal(t.report, undefined);
});

test('shedding asks for the share the server could not check, and holds it while traffic falls', () => {
  const r = new OverloadReporter({ periodMs: 1000, validitySeconds: 10 }, 0);
  period(r, 600, 400); // 40 % shed
  const first = r.report(1000);
  assert.equal(first?.reductionPercentage, 40);
  assert.equal(first?.validityDuration, 10);
  assert.deepEqual(decoded(r.trailer(1000)).report, first);
  // The reacting nodes now send 60 % of the demand, and the server still sheds a little: the
  // demand is scaled back (800 / 0.6 = 1333), so the reduction grows instead of collapsing.
  period(r, 600, 200);
  const second = r.report(2000);
  assert.equal(second?.reductionPercentage, 55);
  assert.ok(second!.sequenceNumber > first!.sequenceNumber, 'a new content, a new sequence');
  // Unchanged report: same sequence number.
  period(r, 600, 0);
  period(r, 0, 0);
  const third = r.report(3000);
  assert.equal(third?.reductionPercentage, 45, 'recovery steps down by 10 points');
});

test('recovery ends with a zero-validity report, then no report', () => {
  const r = new OverloadReporter({ periodMs: 1000, recoveryStep: 50 }, 0);
  period(r, 50, 50);
  assert.equal(r.report(1000)?.reductionPercentage, 50);
  period(r, 100, 0);
  const end = r.report(2000);
  assert.equal(end?.reductionPercentage, 0);
  assert.equal(end?.validityDuration, 0, 'OC-Validity-Duration 0 ends the overload condition');
  period(r, 100, 0);
  assert.equal(r.report(3000), undefined);
});

test('a report is never asked below 5 % while shedding, nor above 95 %', () => {
  const r = new OverloadReporter({ periodMs: 1000 }, 0);
  period(r, 10_000, 150); // 1.5 % shed
  assert.equal(r.report(1000)?.reductionPercentage, 5);
  period(r, 0, 1000);
  // Nothing checked: a reacting node asked for 100 % would send nothing and hear no update.
  assert.equal(r.report(2000)?.reductionPercentage, 95);
  period(r, 1, 1000);
  assert.equal(r.report(3000)?.reductionPercentage, 95);
});

test('a burst shed at a reduction in force does not hold it there: it steps down', () => {
  const r = new OverloadReporter({ periodMs: 1000, recoveryStep: 10 }, 0);
  period(r, 50, 950);
  assert.equal(r.report(1000)?.reductionPercentage, 95);
  period(r, 1000, 5); // 0.5 % shed
  assert.equal(r.report(2000)?.reductionPercentage, 85);
  period(r, 1000, 50); // 5 % shed: the demand is 1050 / 0.15 = 7000, 1000 of it checked
  assert.equal(r.report(3000)?.reductionPercentage, 90);
});

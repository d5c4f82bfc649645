import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ANSWER_DELAY_BUCKETS_MS,
  AnswerDelays,
  answerDelayBucket,
  answerDelayQuantileMs,
  answerDelaysFromMetrics,
} from './answer-delay.js';

test('a delay falls in the first bucket whose bound it does not exceed', () => {
  assert.equal(answerDelayBucket(0), 0);
  assert.equal(answerDelayBucket(0.1), 0);
  assert.equal(answerDelayBucket(0.11), 1);
  assert.equal(answerDelayBucket(2), 5);
  assert.equal(answerDelayBucket(5), 8);
  assert.equal(answerDelayBucket(5.01), 9);
  assert.equal(answerDelayBucket(1e6), ANSWER_DELAY_BUCKETS_MS.length);
});

test('workers’ deltas add up in the primary and print as a cumulative histogram', () => {
  const w1 = new AnswerDelays();
  const w2 = new AnswerDelays();
  w1.record(false, 0.05);
  w1.record(false, 3);
  w1.recordMany(true, 0.3, 4);
  w2.record(true, 700);
  w2.record(true, 5000);
  const primary = new AnswerDelays();
  primary.add(w1.take());
  primary.add(w2.take());
  // take() resets.
  assert.deepEqual(new Set(w1.take().buckets), new Set([0]));
  const text = primary.lines().join('\n');
  assert.match(text, /^ceir_s13_answer_delay_seconds_bucket\{outcome="checked",le="0.0001"\} 1$/m);
  assert.match(text, /^ceir_s13_answer_delay_seconds_bucket\{outcome="checked",le="0.005"\} 2$/m);
  assert.match(text, /^ceir_s13_answer_delay_seconds_bucket\{outcome="shed",le="0.0005"\} 4$/m);
  assert.match(text, /^ceir_s13_answer_delay_seconds_bucket\{outcome="shed",le="1"\} 5$/m);
  assert.match(text, /^ceir_s13_answer_delay_seconds_bucket\{outcome="shed",le="\+Inf"\} 6$/m);
  assert.match(text, /^ceir_s13_answer_delay_seconds_count\{outcome="shed"\} 6$/m);
  const sum = Number(/_sum\{outcome="shed"\} (\S+)/.exec(text)![1]);
  assert.ok(Math.abs(sum - (4 * 0.0003 + 0.7 + 5)) < 1e-9);
  const shed = answerDelaysFromMetrics(text, 'shed');
  assert.equal(shed.at(-1), 6);
  assert.equal(
    answerDelayQuantileMs(
      shed.map(() => 0),
      shed,
      0.5,
    ),
    0.5,
  );
  assert.equal(
    answerDelayQuantileMs(
      shed.map(() => 0),
      shed,
      0.99,
    ),
    Infinity,
  );
});

test('the quantile read from two scrapes bounds the true quantile of what came between', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { maxLength: 50 }),
      fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { minLength: 1, maxLength: 200 }),
      fc.double({ min: 0.01, max: 1, noNaN: true }),
      (earlier, between, q) => {
        const h = new AnswerDelays();
        for (const ms of earlier) h.record(true, ms);
        const before = answerDelaysFromMetrics(h.lines().join('\n'), 'shed');
        // The same object, as a primary keeps counting.
        for (const ms of between) h.record(true, ms);
        const after = answerDelaysFromMetrics(h.lines().join('\n'), 'shed');
        const bound = answerDelayQuantileMs(before, after, q);
        const sorted = [...between].sort((a, b) => a - b);
        const truth = sorted[Math.ceil(q * sorted.length) - 1]!;
        assert.ok(truth <= bound, `${truth} <= ${bound}`);
        const b = answerDelayBucket(truth);
        const lower = b === 0 ? 0 : ANSWER_DELAY_BUCKETS_MS[b - 1]!;
        assert.ok(bound === Infinity || truth > lower || b === 0);
        assert.equal(
          bound,
          b < ANSWER_DELAY_BUCKETS_MS.length ? ANSWER_DELAY_BUCKETS_MS[b] : Infinity,
        );
      },
    ),
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObservationSink } from './observation-sink.js';

test('flushes batches in order, bounded by batchSize', async () => {
  const got: number[][] = [];
  const sink = new ObservationSink<number>({
    flush: async (b) => void got.push([...b]),
    batchSize: 3,
  });
  sink.pushAll([1, 2, 3, 4, 5]);
  await sink.drain();
  assert.deepEqual(got, [
    [1, 2, 3],
    [4, 5],
  ]);
  assert.deepEqual(sink.stats(), { buffered: 0, dropped: 0, flushed: 5, failures: 0 });
});

test('a slow store: the oldest rows are dropped and counted', async () => {
  let release!: () => void;
  const got: number[][] = [];
  const sink = new ObservationSink<number>({
    flush: (b) =>
      new Promise<void>((r) => {
        got.push([...b]);
        release = r;
      }),
    maxBuffered: 4,
    batchSize: 2,
  });
  sink.pushAll([1, 2, 3]);
  const first = sink.flushOnce(); // takes 1, 2; stays in flight
  sink.pushAll([4, 5, 6, 7]); // buffer 3..7 > 4: 3 dropped
  assert.deepEqual(sink.stats(), { buffered: 4, dropped: 1, flushed: 0, failures: 0 });
  release();
  await first;
  const rest = sink.drain();
  release();
  await new Promise((r) => setImmediate(r));
  release();
  await rest;
  assert.deepEqual(got, [
    [1, 2],
    [4, 5],
    [6, 7],
  ]);
});

test('a failed flush is retried with its rows first', async () => {
  let fail = true;
  const got: number[][] = [];
  const errors: unknown[] = [];
  const sink = new ObservationSink<number>({
    flush: async (b) => {
      if (fail) throw new Error('store down');
      got.push([...b]);
    },
    maxBuffered: 3,
    onError: (e) => errors.push(e),
  });
  sink.pushAll([1, 2]);
  await sink.flushOnce();
  sink.pushAll([3]);
  assert.deepEqual(sink.stats(), { buffered: 3, dropped: 0, flushed: 0, failures: 1 });
  fail = false;
  await sink.close();
  assert.deepEqual(got, [[1, 2, 3]]);
  assert.equal(errors.length, 1);
});

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

test('weighted items: limits count rows, whole items are dropped and flushed', async () => {
  const got: string[][] = [];
  const sink = new ObservationSink<string>({
    flush: async (b) => void got.push([...b]),
    weight: (s) => s.length,
    maxBuffered: 6,
    batchSize: 4,
  });
  sink.pushAll(['aa', 'bbb', 'c', 'dd']); // 8 rows > 6: 'aa' dropped
  assert.deepEqual(sink.stats(), { buffered: 6, dropped: 2, flushed: 0, failures: 0 });
  sink.push('eeeeeeeee'); // heavier than the whole buffer: dropped alone
  assert.deepEqual(sink.stats(), { buffered: 6, dropped: 11, flushed: 0, failures: 0 });
  await sink.drain();
  assert.deepEqual(got, [['bbb', 'c'], ['dd']]);
  assert.deepEqual(sink.stats(), { buffered: 0, dropped: 11, flushed: 6, failures: 0 });
});

test('the ring grows past its first size and keeps the order', async () => {
  const got: number[] = [];
  const sink = new ObservationSink<number>({
    flush: async (b) => void got.push(...b),
    batchSize: 7,
  });
  const rows = Array.from({ length: 100 }, (_, i) => i);
  sink.pushAll(rows.slice(0, 10));
  await sink.flushOnce();
  sink.pushAll(rows.slice(10));
  await sink.drain();
  assert.deepEqual(got, rows);
});

test('a drain that found nothing to write does not stop later drains', async () => {
  const got: number[] = [];
  const sink = new ObservationSink<number>({ flush: async (b) => void got.push(...b) });
  await sink.drain();
  sink.push(1);
  await sink.drain();
  sink.push(2);
  await sink.close();
  assert.deepEqual(got, [1, 2]);
});

test('a started sink writes a full batch without waiting for its timer', async () => {
  const written: number[][] = [];
  const sink = new ObservationSink<number>({
    flush: async (b) => {
      written.push([...b]);
    },
    batchSize: 10,
    maxBuffered: 1000,
    intervalMs: 3_600_000, // the timer never comes in this test
  });
  for (let i = 0; i < 9; i++) sink.push(i);
  await new Promise((r) => setImmediate(r));
  assert.equal(written.length, 0, 'stopped: nothing written on its own');
  sink.start();
  for (let i = 9; i < 25; i++) sink.push(i);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(written[0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(sink.stats().dropped, 0);
  await sink.close();
  assert.deepEqual(
    written.flat(),
    Array.from({ length: 25 }, (_, i) => i),
  );
});

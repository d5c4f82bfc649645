import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloneDetector } from '../../eir/clone-detector.js';
import { ObservationSink } from '../../eir/observation-sink.js';
import { observationMetricsText } from './observation-metrics.js';

test('spill and detector figures as Prometheus text, from real sinks and a real detector', async () => {
  let fail = true;
  const sink = new ObservationSink<number>({
    flush: async () => {
      if (fail) throw new Error('store busy');
    },
    maxBuffered: 3,
    batchSize: 10,
  });
  const flags = new ObservationSink<number>({ flush: async () => {} });
  for (let i = 0; i < 5; i++) sink.push(i); // 2 dropped: room for 3
  await sink.flushOnce(); // one failure, rows kept
  fail = false;
  await sink.flushOnce(); // 3 written
  flags.push(1);
  const detector = new CloneDetector({ threshold: 1, windowSeconds: 60, maxImeis: 10 });
  detector.observe([
    { imei: '35209900000001', imsi: '1', peer: 'mme1', time: 1000 },
    { imei: '35209900000001', imsi: '2', peer: 'mme2', time: 1001 },
  ]);
  const text = observationMetricsText(sink.stats(), flags.stats(), detector.stats());
  const value = (line: string): number => {
    const l = text.split('\n').find((x) => x.startsWith(`${line} `));
    assert.ok(l, `${line} in\n${text}`);
    return Number(l.slice(line.length + 1));
  };
  assert.equal(value('ceir_spill_dropped_rows_total{kind="observation"}'), 2);
  assert.equal(value('ceir_spill_write_failures_total{kind="observation"}'), 1);
  assert.equal(value('ceir_spill_written_rows_total{kind="observation"}'), 3);
  assert.equal(value('ceir_spill_buffered_rows{kind="observation"}'), 0);
  assert.equal(value('ceir_spill_buffered_rows{kind="clone_flag"}'), 1);
  assert.equal(value('ceir_clone_detector_tracked_imeis'), 1);
  assert.equal(value('ceir_clone_alerts_total'), 1);
  assert.equal(value('ceir_clone_detector_evicted_total'), 0);
  // Every sample has its HELP and TYPE.
  for (const name of new Set(text.match(/^ceir_[a-z_]+/gm)))
    assert.match(text, new RegExp(`# TYPE ${name} (counter|gauge)`));
});

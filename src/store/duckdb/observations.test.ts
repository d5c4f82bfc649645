import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  observationBatchOf,
  type CheckObservation,
} from '../../core/observations/observation-batch.js';
import { appendCloneFlags, appendObservations } from './observations.js';
import { openTempStore, type TempStore } from './rules/test-support.js';

let ts: TempStore;
before(async () => {
  ts = await openTempStore('ceir-observations-');
});
after(async () => {
  await ts?.cleanup();
});

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0, 250);

test('appendObservations: one batch, identifiers encoded, malformed IMEIs skipped', async () => {
  const v = 'v1';
  const n = await appendObservations(ts.store.db, [
    observationBatchOf([
      {
        time: T0,
        imei: '352099000000017',
        imsi: '001010000000001',
        peer: 'mme,1',
        interface: 's13',
        status: 'WHITELISTED',
        version: v,
      },
      {
        time: T0 + 1,
        imei: '00000000001234',
        peer: 'amf"2',
        interface: 'n5g-eir',
        status: 'UNKNOWN_EQUIPMENT',
        version: v,
      },
    ]),
    observationBatchOf([
      {
        time: T0 + 2,
        imei: '00101',
        imsi: '1',
        peer: 'x',
        interface: 's13',
        status: 'BLACKLISTED',
        version: v,
      },
      {
        time: T0 + 3,
        imei: '35209900000002',
        imsi: 'ABC',
        peer: 'x',
        interface: 's13',
        status: 'GREYLISTED',
        version: v,
      },
    ]),
  ]);
  assert.equal(n, 3);
  const rows = await ts.store.db.all(`SELECT time::VARCHAR AS time, imei, imsi, peer, interface,
      result FROM check_observations ORDER BY time`);
  assert.deepEqual(rows, [
    {
      time: '2026-03-01 12:00:00.25',
      imei: '35209900000001',
      imsi: '1001010000000001',
      peer: 'mme,1',
      interface: 's13',
      result: 'WHITELISTED',
    },
    {
      time: '2026-03-01 12:00:00.251',
      imei: '1234',
      imsi: null,
      peer: 'amf"2',
      interface: 'n5g-eir',
      result: 'UNKNOWN_EQUIPMENT',
    },
    {
      time: '2026-03-01 12:00:00.253',
      imei: '35209900000002',
      imsi: null,
      peer: 'x',
      interface: 's13',
      result: 'GREYLISTED',
    },
  ]);
});

test('appendObservations: 100k rows in one statement, every row landed', async () => {
  const batch: CheckObservation[] = Array.from({ length: 100_000 }, (_, i) => ({
    time: T0 + i,
    imei: String(35209900000000 + (i % 5000)),
    imsi: `00101${String(i).padStart(10, '0')}`,
    peer: `mme${i % 7}.example.net`,
    interface: 's13',
    status: 'WHITELISTED',
    version: 'v1',
  }));
  assert.equal(await appendObservations(ts.store.db, [observationBatchOf(batch)]), 100_000);
  const r = await ts.store.db.one(
    'SELECT count(*)::INTEGER AS n, count(DISTINCT imei)::INTEGER AS imeis FROM check_observations',
  );
  assert.deepEqual(r, { n: 100_003, imeis: 5001 }); // 5,000 new and 1234
});

test('appendCloneFlags', async () => {
  await appendCloneFlags(ts.store.db, [
    {
      imei: '35209900000001',
      imsis: 3,
      peers: 2,
      firstSeen: T0,
      lastSeen: T0 + 5000,
      time: T0 + 6000,
    },
    { imei: 'ABC', imsis: 3, peers: 2, firstSeen: T0, lastSeen: T0, time: T0 },
  ]);
  const rows = await ts.store.db.all(`SELECT imei, flagged_at::VARCHAR AS at, imsis, peers,
      window_start::VARCHAR AS ws, window_end::VARCHAR AS we FROM realtime_clone_flags`);
  assert.deepEqual(rows, [
    {
      imei: '35209900000001',
      at: '2026-03-01 12:00:06.25',
      imsis: 3,
      peers: 2,
      ws: '2026-03-01 12:00:00.25',
      we: '2026-03-01 12:00:05.25',
    },
  ]);
});

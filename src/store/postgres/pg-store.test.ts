import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { observationBatchOf } from '../../core/observations/observation-batch.js';
import { runStoreContract } from '../contract.js';
import { PgStore } from './pg-store.js';
import { createTestDatabase } from './test-database.js';

const db = await createTestDatabase();
if ('skip' in db) test('postgres: the store contract', (t) => t.skip(db.skip));
else {
  after(() => db.drop());
  runStoreContract('postgres', () => PgStore.open({ url: db.url }));

  test('postgres: observations and clone flags land with exact times and encoded ids', async () => {
    const s = await PgStore.open({ url: db.url });
    try {
      await s.migrate();
      const t = Date.UTC(2026, 0, 5, 10, 20, 30, 123);
      const v = 'v1';
      await s.appendObservations([
        observationBatchOf([
          {
            time: t,
            imei: '352099001761482',
            imsi: '001010000000001',
            peer: 'mme, "1"',
            interface: 's13',
            status: 'WHITELISTED',
            version: v,
          },
          {
            time: t,
            imei: 'bad',
            peer: 'p',
            interface: 'n5g-eir',
            status: 'UNKNOWN_EQUIPMENT',
            version: v,
          },
        ]),
        observationBatchOf([
          {
            time: t + 1.7,
            imei: ' 35209900176149',
            imsi: 'x1',
            peer: 'p',
            interface: 'n5g-eir',
            status: 'BLACKLISTED',
            version: v,
          },
        ]),
      ]);
      await s.appendCloneFlags([
        { imei: '35209900176148', imsis: 3, peers: 2, firstSeen: t - 60_000, lastSeen: t, time: t },
      ]);
      const obs = await s.db.query(
        "SELECT to_char(time, 'YYYY-MM-DD HH24:MI:SS.MS') AS t, imei::text, imsi::text, peer FROM check_observations ORDER BY time",
      );
      assert.deepEqual(obs.rows, [
        {
          t: '2026-01-05 10:20:30.123',
          imei: '35209900176148',
          imsi: '1001010000000001',
          peer: 'mme, "1"',
        },
        { t: '2026-01-05 10:20:30.124', imei: '35209900176149', imsi: null, peer: 'p' },
      ]);
      const flags = await s.db.query(
        "SELECT imei::text, imsis, peers, to_char(window_start, 'HH24:MI:SS') AS w FROM realtime_clone_flags",
      );
      assert.deepEqual(flags.rows, [{ imei: '35209900176148', imsis: 3, peers: 2, w: '10:19:30' }]);
    } finally {
      await s.close();
    }
  });
}

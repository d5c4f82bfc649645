import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ExchangeRecord, PeerRef } from '../../core/ports/exchange-store.js';
import { lit } from './duckdb-database.js';
import { DuckDbExchangeStore } from './exchange.js';
import { openTempStore, type TempStore } from './rules/test-support.js';

let a: TempStore;
let b: TempStore;
before(async () => {
  a = await openTempStore('ceir-exchange-a-');
  b = await openTempStore('ceir-exchange-b-');
});
after(async () => {
  await a?.cleanup();
  await b?.cleanup();
});

const NOW = new Date('2026-02-01T10:00:00Z');

async function listRow(ts: TempStore, list: string, imei: string, status: string, attrs = {}) {
  await ts.store.db.run(`INSERT INTO list_entries VALUES (${lit(list)}, ${lit(imei)}, ${lit(imei)},
    ${lit(imei.slice(0, 8))}, NULL, NULL, ${lit(status)}, NULL, ${lit(JSON.stringify(attrs))},
    TIMESTAMP '2026-01-01 00:00:00', NULL, 'test')`);
}

async function closeRow(ts: TempStore, list: string, imei: string) {
  await ts.store.db.run(`UPDATE list_entries SET valid_to = TIMESTAMP '2026-01-20 00:00:00'
    WHERE list = ${lit(list)} AND key = ${lit(imei)} AND valid_to IS NULL`);
}

test('publish: blocking stolen entries and shared lists become versions, in sequence', async () => {
  const x = new DuckDbExchangeStore(a.store.db);
  await listRow(a, 'stolen', '35209900176148', '', { reporting_date: '20260105' });
  await listRow(a, 'stolen', '49015420323751', 'blacklist', { reporting_date: '20260106' });
  await listRow(a, 'stolen', '26053179311383', 'recovered', { reporting_date: '20260107' });
  await listRow(a, 'stolen', '22A456789012345', '', {}); // malformed: never exported
  await listRow(a, 'barred', '86000000000001', '');
  await listRow(a, 'monitoring', '86000000000002', '');

  const p1 = await x.publish({ country: 'XA', shareLists: ['barred'], now: NOW });
  assert.deepEqual(p1, { appended: 3, activated: 3, removed: 0, headSeq: 3 });
  const v = await x.feedVersions(0, 10);
  assert.deepEqual(
    v.map((r) => [r.seq, r.recordId, r.reportingDate, r.status]),
    [
      [1, 'XA-barred-86000000000001', null, 'active'],
      [2, 'XA-stolen-35209900176148', '2026-01-05', 'active'],
      [3, 'XA-stolen-49015420323751', '2026-01-06', 'active'],
    ],
  );
  // Nothing changed: nothing appended.
  assert.equal((await x.publish({ country: 'XA', shareLists: ['barred'], now: NOW })).appended, 0);
  // A recovered device leaves the stolen list: a `removed` version; the barred list no longer shared.
  await closeRow(a, 'stolen', '35209900176148');
  const p2 = await x.publish({ country: 'XA', shareLists: [], now: NOW });
  assert.deepEqual(p2, { appended: 2, activated: 0, removed: 2, headSeq: 5 });
  const later = await x.feedVersions(3, 10);
  assert.deepEqual(
    later.map((r) => [r.seq, r.imei, r.status, r.origin]),
    [
      [4, '86000000000001', 'removed', 'XA'],
      [5, '35209900176148', 'removed', 'XA'],
    ],
  );
  assert.deepEqual(
    (await x.feedVersions(1, 2)).map((r) => r.seq),
    [2, 3],
  );
  const snap = await x.feedSnapshot();
  assert.equal(snap.headSeq, 5);
  assert.deepEqual(
    snap.records.map((r) => r.recordId),
    ['XA-stolen-49015420323751'],
  );
});

const PEER: PeerRef = { peer: 'xa', country: 'XA', trust: 'block' };

function rec(seq: number, imei: string, status: 'active' | 'removed' = 'active'): ExchangeRecord {
  return {
    seq,
    recordId: `XA-stolen-${imei}`,
    imei,
    reason: 'stolen',
    reportingDate: '2026-01-05',
    status,
    origin: 'XA',
  };
}

const line = (r: ExchangeRecord) =>
  `${JSON.stringify({
    seq: r.seq,
    record_id: r.recordId,
    imei: r.imei,
    reason: r.reason,
    reporting_date: r.reportingDate,
    status: r.status,
    origin: r.origin,
  })}\n`;

const batch = (
  kind: 'snapshot' | 'delta',
  fromSeq: number,
  toSeq: number,
  records: ExchangeRecord[],
) => ({
  kind,
  fromSeq,
  toSeq,
  keyId: '0123456789abcdef',
  headerSha256: 'ab'.repeat(32),
  count: records.length,
  body: Buffer.from(records.map(line).join('')),
});

test('applyBatch: versions replace, a snapshot removes what it lacks, the cursor moves with it', async () => {
  const x = new DuckDbExchangeStore(b.store.db);
  await x.syncPeers([PEER]);
  await x.applyBatch(
    PEER,
    batch('snapshot', 0, 7, [rec(3, '35209900176148'), rec(7, '49015420323751')]),
    NOW,
  );
  let s = (await x.peerStates())[0]!;
  assert.deepEqual([s.lastSeq, s.records, s.trust, s.lastError], [7, 2, 'block', null]);
  // Two versions of one record in a delta: the last one wins.
  await x.applyBatch(
    PEER,
    batch('delta', 7, 9, [rec(8, '35209900176148', 'removed'), rec(9, '35209900176148')]),
    NOW,
  );
  await x.applyBatch(PEER, batch('delta', 9, 10, [rec(10, '49015420323751', 'removed')]), NOW);
  const f = await x.foreignRecords();
  assert.deepEqual(
    f.map((r) => [r.recordId, r.seq, r.status, r.peer, r.trust, r.keyId]),
    [
      ['XA-stolen-35209900176148', 9, 'active', 'xa', 'block', '0123456789abcdef'],
      ['XA-stolen-49015420323751', 10, 'removed', 'xa', 'block', '0123456789abcdef'],
    ],
  );
  assert.equal(f[0]!.receivedAt, '2026-02-01T10:00:00.000Z');
  // A snapshot without the first record marks it removed.
  await x.applyBatch(PEER, batch('snapshot', 0, 12, [rec(12, '26053179311383')]), NOW);
  s = (await x.peerStates())[0]!;
  assert.deepEqual([s.lastSeq, s.records], [12, 1]);
  assert.deepEqual(
    (await x.foreignRecords({ imei: '35209900176148' })).map((r) => r.status),
    ['removed'],
  );
  await x.recordPeerError('xa', 'bad signature', NOW);
  assert.equal((await x.peerStates())[0]!.lastError, 'bad signature');
});

test('owner notices: foreign records our network saw, once each; received notices kept', async () => {
  const x = new DuckDbExchangeStore(b.store.db);
  await b.store.db.run(`INSERT INTO network_imeis VALUES
    (26053179311383, DATE '2026-01-10', DATE '2026-01-28', 1, 1, 1, 0),
    (11111111111111, DATE '2026-01-10', DATE '2026-01-28', 1, 1, 1, 0)`);
  const pending = await x.pendingNotices('XB');
  assert.deepEqual(pending, [
    {
      recordId: 'XA-stolen-26053179311383',
      imei: '26053179311383',
      seenIn: 'XB',
      seenOn: '2026-01-28',
      peer: 'xa',
    },
  ]);
  await x.markNoticesSent(pending, NOW);
  assert.deepEqual(await x.pendingNotices('XB'), []);
  const p = pending[0]!;
  const notice = {
    recordId: p.recordId,
    imei: p.imei,
    seenIn: p.seenIn,
    seenOn: p.seenOn,
    fromPeer: 'xb',
    keyId: 'fedcba9876543210',
    receivedAt: NOW.toISOString(),
  };
  await x.storeReceivedNotices([notice]);
  assert.deepEqual(await x.receivedNotices(), [notice]);
});

test('feedVersionLines: the bulk body of a delta, the same versions as feedVersions', async () => {
  const x = new DuckDbExchangeStore(a.store.db);
  const all = await x.feedVersions(1, 3);
  const v = await x.feedVersionLines(1, 3);
  assert.deepEqual([v.count, v.lastSeq], [3, 4]);
  const lines = v.body.toString('utf8').split('\n');
  assert.equal(lines.pop(), '');
  assert.deepEqual(
    lines.map((l) => JSON.parse(l) as unknown),
    all.map((r) => ({
      seq: r.seq,
      record_id: r.recordId,
      imei: r.imei,
      reason: r.reason,
      reporting_date: r.reportingDate,
      status: r.status,
      origin: r.origin,
    })),
  );
  const none = await x.feedVersionLines(99, 10);
  assert.deepEqual([none.count, none.lastSeq, none.body.length], [0, 99, 0]);
});

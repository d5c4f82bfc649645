import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  ExchangeRecord,
  ExchangeStore,
  PeerRef,
  VerifiedBatch,
} from '../core/ports/exchange-store.js';
import { ok } from '../core/errors.js';
import { batchRecords, encodeDelta, encodeSnapshot } from './feed-batch.js';
import { recordId } from './feed-record.js';
import { FEED_PATH, pullPeer, SNAPSHOT_PATH, type Fetch } from './pull.js';
import { testKey } from './test-keys.js';

const XA = testKey();
const rec = (seq: number, n: number, status: 'active' | 'removed' = 'active'): ExchangeRecord => {
  const imei = String(35209900000000 + n);
  return {
    seq,
    recordId: recordId('XA', 'stolen', imei),
    imei,
    reason: 'stolen',
    reportingDate: null,
    status,
    origin: 'XA',
  };
};

/** The publisher: a feed of versions, answering as the HTTP endpoint does. */
function publisher(feed: ExchangeRecord[], tamperSeq?: number): Fetch {
  return (url) => {
    const u = new URL(url);
    if (u.pathname === SNAPSHOT_PATH) {
      const last = new Map(feed.map((r) => [r.recordId, r]));
      const active = [...last.values()].filter((r) => r.status === 'active');
      return Promise.resolve(ok(encodeSnapshot('XA', feed.length, active, XA.signer)));
    }
    assert.equal(u.pathname, FEED_PATH);
    const after = Number(u.searchParams.get('after'));
    const page = feed.filter((r) => r.seq > after).slice(0, Number(u.searchParams.get('limit')));
    let bytes = encodeDelta('XA', after, page, XA.signer);
    if (page.some((r) => r.seq === tamperSeq))
      bytes = Buffer.from(bytes.toString().replace('"active"', '"removed"'));
    return Promise.resolve(ok(bytes));
  };
}

/** A store in memory: the applied batches and the cursor. */
function memoryStore() {
  const state = { cursor: 0, error: null as string | null, applied: [] as VerifiedBatch[] };
  const store = {
    peerStates: () =>
      Promise.resolve([
        {
          peer: 'xa',
          country: 'XA',
          trust: 'block' as const,
          lastSeq: state.cursor,
          lastPullAt: null,
          lastError: state.error,
          records: 0,
        },
      ]),
    applyBatch: (_p: PeerRef, b: VerifiedBatch) => {
      state.applied.push(b);
      state.cursor = b.toSeq;
      state.error = null;
      return Promise.resolve(b.count);
    },
    recordPeerError: (_p: string, reason: string) => {
      state.error = reason;
      return Promise.resolve();
    },
  } as unknown as ExchangeStore;
  return { state, store };
}

const peer = {
  peer: 'xa',
  country: 'XA',
  trust: 'block' as const,
  url: 'http://xa',
  verifier: XA.verifier,
};

test('pull: a snapshot first, then deltas page by page until a short page', async () => {
  const feed = [rec(1, 1), rec(2, 2), rec(3, 1, 'removed')];
  const { state, store } = memoryStore();
  const first = await pullPeer(store, peer, publisher(feed), { pageSize: 2 });
  assert.deepEqual(
    [first.kind, first.cursor, state.applied.map((b) => b.kind)],
    ['ok', 3, ['snapshot']],
  );
  assert.deepEqual(
    batchRecords(state.applied[0]!).map((r) => r.seq),
    [2],
  );
  for (let i = 4; i <= 8; i++) feed.push(rec(i, i));
  const next = await pullPeer(store, peer, publisher(feed), { pageSize: 2 });
  assert.deepEqual([next.kind, next.pages, next.records, next.cursor], ['ok', 3, 5, 8]);
  assert.deepEqual(
    state.applied.slice(1).map((b) => [b.fromSeq, b.toSeq]),
    [
      [3, 5],
      [5, 7],
      [7, 8],
    ],
  );
});

test('pull: a tampered page stops the pull at the last good page, records why, applies nothing of it', async () => {
  const feed = Array.from({ length: 6 }, (_, i) => rec(i + 1, i + 1));
  const { state, store } = memoryStore();
  state.cursor = 1;
  const r = await pullPeer(store, peer, publisher(feed, 4), { pageSize: 2 });
  assert.equal(r.kind, 'refused');
  assert.equal(r.cursor, 3);
  assert.deepEqual(
    state.applied.map((b) => b.toSeq),
    [3],
  );
  assert.match(state.error ?? '', /CEIR_ERR_BAD_SIGNATURE/);
  // The next pull, untampered, resumes from 3.
  const again = await pullPeer(store, peer, publisher(feed), { pageSize: 2 });
  assert.deepEqual([again.kind, again.cursor, state.error], ['ok', 6, null]);
  assert.deepEqual(
    state.applied.map((b) => b.fromSeq),
    [1, 3, 5],
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ExchangeRecord } from '../core/ports/exchange-store.js';
import { decodeBatch, encodeBatch } from './batch-format.js';
import { acceptFeedBatch, batchRecords, encodeDelta, encodeSnapshot } from './feed-batch.js';
import { recordId, recordLine } from './feed-record.js';
import { testKey } from './test-keys.js';

const XA = testKey();
const XB = testKey();

function rec(seq: number, imei: string, over: Partial<ExchangeRecord> = {}): ExchangeRecord {
  const origin = over.origin ?? 'XA';
  const reason = over.reason ?? 'stolen';
  return {
    seq,
    recordId: recordId(origin, reason, imei),
    imei,
    reason,
    reportingDate: '2026-01-05',
    status: 'active',
    origin,
    ...over,
  };
}

const peerXA = (cursor = 0) => ({ country: 'XA', verifier: XA.verifier, cursor });

test('a delta round-trips: every record, its sequence range and provenance digest', () => {
  const versions = [
    rec(4, '35209900176148'),
    rec(5, '49015420323751', { status: 'removed', reportingDate: null }),
  ];
  const bytes = encodeDelta('XA', 3, versions, XA.signer);
  const b = acceptFeedBatch(bytes, peerXA(3), 'feed');
  assert.equal(b.kind, 'ok', JSON.stringify(b));
  if (b.kind !== 'ok') return;
  assert.deepEqual(batchRecords(b.value), versions);
  assert.deepEqual([b.value.kind, b.value.fromSeq, b.value.toSeq], ['delta', 3, 5]);
  assert.match(b.value.headerSha256, /^[0-9a-f]{64}$/);
  assert.equal(b.value.keyId, XA.signer.keyId);
});

test('records round-trip through the line form (property)', () => {
  const imei = fc.stringMatching(/^[0-9]{14}$/);
  const arb = fc.record({
    imei,
    reason: fc.constantFrom('stolen', 'barred', 'lost'),
    date: fc.option(
      fc
        .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      { nil: null },
    ),
    status: fc.constantFrom('active' as const, 'removed' as const),
  });
  fc.assert(
    fc.property(fc.array(arb, { maxLength: 20 }), fc.nat(1000), (xs, from) => {
      const versions = xs.map((x, i) =>
        rec(from + i + 1, x.imei, { reason: x.reason, reportingDate: x.date, status: x.status }),
      );
      const b = acceptFeedBatch(encodeDelta('XA', from, versions, XA.signer), peerXA(from), 'p');
      assert.equal(b.kind, 'ok');
      if (b.kind === 'ok') assert.deepEqual(batchRecords(b.value), versions);
    }),
    { numRuns: 50 },
  );
});

test('a tampered body is refused: the signed header names another SHA-256', () => {
  const bytes = encodeDelta('XA', 0, [rec(1, '35209900176148')], XA.signer);
  const tampered = Buffer.from(bytes.toString('utf8').replace('35209900176148', '35209900176149'));
  const b = acceptFeedBatch(tampered, peerXA(), 'feed');
  assert.equal(b.kind, 'error');
  if (b.kind === 'error') {
    assert.equal(b.code, 'CEIR_ERR_BAD_SIGNATURE');
    assert.match(b.message, /altered/);
  }
});

test('a tampered header or another key is refused', () => {
  const bytes = encodeDelta('XA', 0, [rec(1, '35209900176148')], XA.signer);
  const h = Buffer.from(bytes.toString('utf8').replace('"to_seq":1', '"to_seq":2'));
  const r1 = acceptFeedBatch(h, peerXA(), 'feed');
  assert.equal(r1.kind === 'error' && r1.code, 'CEIR_ERR_BAD_SIGNATURE');
  // XB signs a batch in XA's name: its key is not XA's.
  const forged = encodeDelta('XA', 0, [rec(1, '35209900176148')], XB.signer);
  const r2 = acceptFeedBatch(forged, peerXA(), 'feed');
  assert.equal(r2.kind === 'error' && r2.code, 'CEIR_ERR_BAD_SIGNATURE');
  // ... even when it claims XA's key id.
  const liar = { keyId: XA.signer.keyId, sign: XB.signer.sign };
  const r3 = acceptFeedBatch(encodeDelta('XA', 0, [rec(1, '35209900176148')], liar), peerXA(), 'f');
  assert.equal(r3.kind === 'error' && r3.code, 'CEIR_ERR_BAD_SIGNATURE');
});

test("a peer's record about another country's record is refused (ownership)", () => {
  // XB, correctly signed by XB, publishes a record (or a removal) that originates in XA.
  const forged = encodeDelta('XB', 0, [rec(1, '35209900176148', { status: 'removed' })], XB.signer);
  const b = acceptFeedBatch(forged, { country: 'XB', verifier: XB.verifier, cursor: 0 }, 'feed');
  assert.equal(b.kind, 'error');
  if (b.kind === 'error') {
    assert.equal(b.code, 'CEIR_ERR_NOT_OWNER');
    assert.equal(b.at?.line, 3);
  }
  // A batch of country XB from the peer configured as XA is refused whole.
  const other = encodeDelta('XB', 0, [rec(1, '35209900176148', { origin: 'XB' })], XA.signer);
  const r = acceptFeedBatch(other, peerXA(), 'feed');
  assert.equal(r.kind === 'error' && r.code, 'CEIR_ERR_NOT_OWNER');
});

test('a gap, a repeated or a skipped sequence number is refused', () => {
  const ok = encodeDelta('XA', 5, [rec(6, '35209900176148')], XA.signer);
  const gap = acceptFeedBatch(ok, peerXA(4), 'feed');
  assert.equal(gap.kind === 'error' && gap.code, 'CEIR_ERR_SEQUENCE_GAP');
  const skip = encodeDelta(
    'XA',
    5,
    [rec(6, '35209900176148'), rec(8, '49015420323751')],
    XA.signer,
  );
  const r = acceptFeedBatch(skip, peerXA(5), 'feed');
  assert.equal(r.kind === 'error' && r.code, 'CEIR_ERR_SEQUENCE_GAP');
  if (r.kind === 'error') assert.equal(r.at?.line, 4);
  const back = encodeSnapshot('XA', 3, [rec(2, '35209900176148')], XA.signer);
  const s = acceptFeedBatch(back, peerXA(5), 'snap');
  assert.equal(s.kind === 'error' && s.code, 'CEIR_ERR_SEQUENCE_GAP');
});

test('personal data or unknown fields in a record are refused', () => {
  const line = JSON.stringify({
    ...JSON.parse(recordLine(rec(1, '35209900176148'))),
    msisdn: '999',
  });
  const bytes = encodeBatch(
    { kind: 'delta', country: 'XA', fromSeq: 0, toSeq: 1 },
    [line],
    XA.signer,
  );
  const b = acceptFeedBatch(bytes, peerXA(), 'feed');
  assert.equal(b.kind === 'error' && b.code, 'CEIR_ERR_PARSE');
  if (b.kind === 'error') assert.match(b.message, /msisdn/);
});

test('decodeBatch names what is wrong with a header', () => {
  const d = decodeBatch(Buffer.from('{"format":"x"}\nAAAA\n'), 'f');
  assert.equal(d.kind === 'error' && d.code, 'CEIR_ERR_PARSE');
  if (d.kind === 'error') assert.match(d.message, /format/);
  const none = decodeBatch(Buffer.from('hello'), 'f');
  assert.equal(none.kind, 'error');
});

test('a record line not in canonical form is refused, naming its line', () => {
  const line = recordLine(rec(1, '35209900176148')).replace('"seq":1,', '"seq": 1,');
  const bytes = encodeBatch(
    { kind: 'delta', country: 'XA', fromSeq: 0, toSeq: 1 },
    [line],
    XA.signer,
  );
  const b = acceptFeedBatch(bytes, peerXA(), 'feed');
  assert.equal(b.kind === 'error' && `${b.code}@${b.at?.line}`, 'CEIR_ERR_PARSE@3');
  if (b.kind === 'error') assert.match(b.message, /canonical/);
});

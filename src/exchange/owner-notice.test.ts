import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNotices, encodeNotices } from './owner-notice.js';
import { testKey } from './test-keys.js';

const XB = testKey();
const XC = testKey();
const senders = [{ peer: 'xb', country: 'XB', verifier: XB.verifier }];
const notice = {
  recordId: 'XA-stolen-35209900176148',
  imei: '35209900176148',
  seenIn: 'XB',
  seenOn: '2026-02-01',
};

test('a notice from a configured peer about our record is accepted as sent', () => {
  const r = acceptNotices(encodeNotices('XB', [notice], XB.signer), 'XA', senders, 'post');
  assert.equal(r.kind, 'ok');
  if (r.kind === 'ok') {
    assert.deepEqual(r.value.notices, [notice]);
    assert.equal(r.value.from.peer, 'xb');
  }
});

test('notices are refused: unknown sender, wrong key, not our record, another network', () => {
  const code = (b: Buffer) => {
    const r = acceptNotices(b, 'XA', senders, 'post');
    return r.kind === 'error' ? r.code : 'ok';
  };
  assert.equal(
    code(encodeNotices('XC', [{ ...notice, seenIn: 'XC' }], XC.signer)),
    'CEIR_ERR_BAD_SIGNATURE',
  );
  assert.equal(code(encodeNotices('XB', [notice], XC.signer)), 'CEIR_ERR_BAD_SIGNATURE');
  assert.equal(
    code(encodeNotices('XB', [{ ...notice, recordId: 'XC-stolen-35209900176148' }], XB.signer)),
    'CEIR_ERR_NOT_OWNER',
  );
  assert.equal(
    code(encodeNotices('XB', [{ ...notice, seenIn: 'XC' }], XB.signer)),
    'CEIR_ERR_NOT_OWNER',
  );
});

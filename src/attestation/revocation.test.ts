import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseSerial, parseRevocationList } from './revocation.js';

test('Google status list: REVOKED entries by serial, any case and leading zeros', () => {
  const r = parseRevocationList(
    JSON.stringify({
      entries: {
        '2c8cdddfd5e03bfc': { status: 'REVOKED', reason: 'KEY_COMPROMISE' },
        '0AB': { status: 'REVOKED' },
        c35747a084470c3135aeefe2b8d40cd6: { status: 'SUSPENDED', reason: 'SOFTWARE_FLAW' },
      },
    }),
  );
  assert.equal(r.kind, 'ok');
  if (r.kind !== 'ok') return;
  assert.equal(r.value.size, 3);
  assert.deepEqual(r.value.revoked('2C8CDDDFD5E03BFC'), {
    status: 'REVOKED',
    reason: 'KEY_COMPROMISE',
  });
  assert.deepEqual(r.value.revoked('000ab'), { status: 'REVOKED', reason: null });
  assert.equal(r.value.revoked('c35747a084470c3135aeefe2b8d40cd6'), undefined);
  assert.equal(r.value.revoked('01'), undefined);
  assert.equal(normaliseSerial('0000'), '0');
});

test('status list errors name the file and field', () => {
  const bad = [
    ['not json', /Cannot parse JSON/],
    ['{"x": 1}', /entries/],
    ['{"entries": {"zz": {"status": "REVOKED"}}}', /not hexadecimal/],
    ['{"entries": {"ab": {"reason": "X"}}}', /status/],
  ] as const;
  for (const [text, re] of bad) {
    const r = parseRevocationList(text, 'status.json');
    assert.equal(r.kind, 'error');
    if (r.kind === 'error') {
      assert.match(r.message, re);
      assert.equal(r.at?.file, 'status.json');
    }
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  imeiCheckDigitStatus,
  imeiFromNumber,
  imeiToNumber,
  normaliseImei,
  parseImeiNorm,
  parseTypedImei,
  type ImeiNorm,
} from './imei.js';
import { luhnCheckDigit } from './luhn.js';

const digits14 = fc.stringMatching(/^[0-9]{14}$/);

test('normaliseImei oracle (DIRBS)', () => {
  assert.deepEqual(normaliseImei('22345678901233ab'), { kind: 'valid', norm: '22345678901233' });
  assert.deepEqual(normaliseImei('22a456789012345'), {
    kind: 'malformed',
    norm: '22A456789012345',
  });
  assert.deepEqual(normaliseImei('52003020863612#'), { kind: 'valid', norm: '52003020863612' });
  assert.deepEqual(normaliseImei(''), { kind: 'malformed', norm: '' });
  assert.deepEqual(normaliseImei('  352099001761481 '), { kind: 'valid', norm: '35209900176148' });
  assert.deepEqual(normaliseImei('1234567890123'), { kind: 'malformed', norm: '1234567890123' });
});

test('normaliseImei matches the DIRBS rule on arbitrary strings', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.string({ unit: 'binary' }),
        digits14.chain((d) => fc.string().map((s) => d + s)),
      ),
      (s) => {
        const r = normaliseImei(s);
        const t = s.trim();
        if (/^[0-9]{14}/.test(t)) {
          assert.deepEqual(r, { kind: 'valid', norm: t.slice(0, 14) });
        } else {
          assert.deepEqual(r, { kind: 'malformed', norm: t.toUpperCase() });
        }
      },
    ),
  );
});

test('normaliseImei is idempotent', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.string({ unit: 'binary' }),
        digits14.map((d) => ` ${d}9x`),
      ),
      (s) => {
        const once = normaliseImei(s);
        assert.deepEqual(normaliseImei(once.norm), once);
      },
    ),
  );
});

test('parseTypedImei: 15 digits with the right check digit', () => {
  const r = parseTypedImei('260531793113837');
  assert.equal(r.kind, 'ok');
  if (r.kind !== 'ok') return;
  assert.deepEqual(r.value, {
    norm: '26053179311383',
    checkDigit: 7,
    full15: '260531793113837',
    checkDigitTyped: true,
  });
});

test('parseTypedImei: wrong check digit names the expected one', () => {
  const r = parseTypedImei('260531793113838');
  assert.equal(r.kind, 'error');
  if (r.kind !== 'error') return;
  assert.equal(r.code, 'CEIR_ERR_PARSE');
  assert.equal(r.message, 'Cannot parse IMEI "260531793113838": check digit should be 7, not 8');
});

test('parseTypedImei: 14 digits get a computed check digit; separators are ignored', () => {
  const r = parseTypedImei('49015420323751');
  assert.ok(r.kind === 'ok' && r.value.full15 === '490154203237518' && !r.value.checkDigitTyped);
  const s = parseTypedImei(' 35-209900-176148-1 ');
  assert.ok(s.kind === 'ok' && s.value.norm === '35209900176148' && s.value.checkDigit === 1);
});

test('parseTypedImei: messages for bad input', () => {
  const cases: [string, string][] = [
    ['12AB', 'Cannot parse IMEI "12AB": contains non-digit characters'],
    ['123', 'Cannot parse IMEI "123": must have 14 or 15 digits, has 3'],
    ['', 'Cannot parse IMEI "": is empty'],
    ['3520990017614812', 'Cannot parse IMEI "3520990017614812": must have 14 or 15 digits, has 16'],
  ];
  for (const [raw, message] of cases) {
    const r = parseTypedImei(raw);
    assert.equal(r.kind, 'error');
    assert.equal(r.kind === 'error' && r.message, message);
  }
});

test('parseTypedImei accepts exactly the Luhn-valid 15-digit strings', () => {
  fc.assert(
    fc.property(digits14, fc.integer({ min: 0, max: 9 }), (d, cd) => {
      const r = parseTypedImei(d + String(cd));
      assert.equal(r.kind === 'ok', cd === luhnCheckDigit(d));
    }),
  );
});

test('parseTypedImei never throws', () => {
  fc.assert(fc.property(fc.string(), (s) => void parseTypedImei(s)));
});

test('imeiCheckDigitStatus', () => {
  assert.equal(imeiCheckDigitStatus('260531793113837'), 'valid');
  assert.equal(imeiCheckDigitStatus('260531793113830'), 'zero');
  assert.equal(imeiCheckDigitStatus('260531793113835'), 'invalid');
  assert.equal(imeiCheckDigitStatus('26053179311383'), 'absent');
  assert.equal(imeiCheckDigitStatus('26053179311383ab'), 'absent');
  assert.equal(imeiCheckDigitStatus('2605317931138301'), 'absent');
  assert.equal(imeiCheckDigitStatus('2605317931138a'), 'invalid');
  // A 0 that is the right check digit is valid, not zero.
  const d = '00000000000000';
  assert.equal(luhnCheckDigit(d), 0);
  assert.equal(imeiCheckDigitStatus(`${d}0`), 'valid');
});

test('imeiCheckDigitStatus never throws', () => {
  fc.assert(fc.property(fc.string(), (s) => void imeiCheckDigitStatus(s)));
});

test('parseImeiNorm', () => {
  assert.deepEqual(parseImeiNorm('35209900176148'), { kind: 'ok', value: '35209900176148' });
  const bad = parseImeiNorm('3520990017614');
  assert.ok(bad.kind === 'error' && bad.message.includes('must have 14 digits, has 13'));
  const nd = parseImeiNorm('12AB');
  assert.ok(nd.kind === 'error');
  assert.equal(nd.message, 'Cannot parse IMEI "12AB": contains non-digit characters');
});

test('imeiToNumber / imeiFromNumber round trip, leading zeros kept', () => {
  assert.equal(imeiToNumber('00100112345678' as ImeiNorm), 100112345678);
  assert.equal(imeiFromNumber(100112345678), '00100112345678');
  fc.assert(
    fc.property(digits14, (d) => {
      const r = parseImeiNorm(d);
      assert.ok(r.kind === 'ok');
      assert.equal(imeiFromNumber(imeiToNumber(r.value)), d);
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e14 - 1 }), (n) => {
      assert.equal(imeiToNumber(imeiFromNumber(n)), n);
    }),
  );
  assert.throws(() => imeiFromNumber(1e14), RangeError);
  assert.throws(() => imeiFromNumber(-1), RangeError);
  assert.throws(() => imeiFromNumber(1.5), RangeError);
});

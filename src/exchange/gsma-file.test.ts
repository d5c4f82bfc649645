import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ExchangeRecord } from '../core/ports/exchange-store.js';
import { encodeExchangeCsv, parseExchangeCsv } from './csv-file.js';
import { recordId } from './feed-record.js';
import { encodeOcbl, parseOcbl } from './gsma-file.js';

const rec = (imei: string, over: Partial<ExchangeRecord> = {}): ExchangeRecord => ({
  seq: 7,
  recordId: recordId('XA', over.reason ?? 'stolen', imei),
  imei,
  reason: 'stolen',
  reportingDate: '2026-01-05',
  status: 'active',
  origin: 'XA',
  ...over,
});

test('OCBL01: consecutive IMEIs become one range; header, detail and trailer columns', () => {
  const recs = [
    rec('35209900000001'),
    rec('35209900000002'),
    rec('35209900000003'),
    rec('35209900000009', { reason: 'barred', reportingDate: null }),
  ];
  const text = encodeOcbl('XA', 7, '2026-02-01', recs);
  assert.equal(
    text,
    [
      'HOCBL01XA 000000000720260201',
      'DA352099000000013520990000000301' + '20260105XA ',
      'DA352099000000093520990000000903' + '        XA ',
      'T0000000002000000000004',
    ].join('\n') + '\n',
  );
  const p = parseOcbl(text, 'f.txt');
  assert.equal(p.kind, 'ok');
  if (p.kind === 'ok') assert.deepEqual(p.value.records, recs);
});

test('OCBL01 round trip (property)', () => {
  const arb = fc.uniqueArray(
    fc.record({
      n: fc.integer({ min: 0, max: 60 }),
      reason: fc.constantFrom('stolen', 'lost', 'barred'),
      date: fc.constantFrom('2026-01-05', null),
      status: fc.constantFrom('active' as const, 'removed' as const),
    }),
    { selector: (x) => x.n, maxLength: 40 },
  );
  fc.assert(
    fc.property(arb, (xs) => {
      const recs = xs
        .map((x) =>
          rec(String(35209900000000 + x.n), {
            reason: x.reason,
            reportingDate: x.date,
            status: x.status,
          }),
        )
        .sort((a, b) => (a.imei < b.imei ? -1 : 1));
      const p = parseOcbl(encodeOcbl('XA', 7, '2026-02-01', recs), 'f');
      assert.equal(p.kind, 'ok');
      if (p.kind === 'ok') assert.deepEqual(p.value.records, recs);
    }),
    { numRuns: 100 },
  );
});

test('OCBL01 refuses a wrong trailer, another owner, a reversed range', () => {
  const text = encodeOcbl('XA', 1, '2026-02-01', [rec('35209900000001')]);
  const code = (t: string) => {
    const r = parseOcbl(t, 'f');
    return r.kind === 'error' ? `${r.code}@${r.at?.line}` : 'ok';
  };
  assert.equal(code(text.replace('T0000000001', 'T0000000002')), 'CEIR_ERR_PARSE@3');
  assert.equal(code(text.replace('05XA \n', '05XB \n')), 'CEIR_ERR_NOT_OWNER@2');
  assert.equal(
    code(text.replace('DA3520990000000135209900000001', 'DA3520990000000235209900000001')),
    'CEIR_ERR_PARSE@2',
  );
  assert.equal(code('hello\n'), 'CEIR_ERR_PARSE@1');
});

test('CSV form round-trips and refuses extra columns', () => {
  const recs = [
    rec('35209900000001'),
    rec('35209900000005', { reportingDate: null, status: 'removed' }),
  ];
  const p = parseExchangeCsv(encodeExchangeCsv(recs), 'f.csv');
  assert.deepEqual(p.kind === 'ok' && p.value, recs);
  const extra = parseExchangeCsv(encodeExchangeCsv(recs).replace('XA\n', 'XA,999\n'), 'f.csv');
  assert.equal(extra.kind === 'error' && extra.at?.line, 2);
});

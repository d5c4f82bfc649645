import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CsvReader, csvField, csvRecord, parseCsv } from './csv.js';

test('fields are quoted only when RFC 4180 requires it', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField(''), '');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\r'), '"cr\r"');
  assert.equal(csvRecord(['35', '', 'stolen|not_registered']), '35,,stolen|not_registered\n');
  assert.equal(csvRecord(['']), '""\n');
});

const field = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', ',', '"', '\n', '\r', ' ', 'é', '|'),
});
const records = fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { maxLength: 20 });

test('CSV round trip: any records, split into chunks anywhere, parse back the same', () => {
  fc.assert(
    fc.property(records, fc.array(fc.nat(), { maxLength: 10 }), (recs, cuts) => {
      const text = recs.map(csvRecord).join('');
      const got: string[][] = [];
      const errors: string[] = [];
      const r = new CsvReader(
        (f) => got.push(f),
        (m) => errors.push(m),
      );
      let at = 0;
      for (const c of [...cuts.map((c) => c % (text.length + 1))].sort((a, b) => a - b)) {
        r.push(text.slice(at, c));
        at = c;
      }
      r.push(text.slice(at));
      r.end();
      assert.deepEqual(got, recs);
      assert.deepEqual(errors, []);
      assert.equal(r.count, recs.length);
    }),
    { numRuns: 500 },
  );
});

test('the reader accepts CRLF, a missing last terminator, and reports broken quotes', () => {
  assert.deepEqual(parseCsv('a,b\r\nc,"d\r\ne"\r\nf,'), [
    ['a', 'b'],
    ['c', 'd\r\ne'],
    ['f', ''],
  ]);
  const errors: string[] = [];
  const got: string[][] = [];
  const r = new CsvReader(
    (f) => got.push(f),
    (m) => errors.push(m),
  );
  r.push('"a"b,c\n"open');
  r.end();
  assert.deepEqual(got, [['ab', 'c'], ['open']]);
  assert.deepEqual(errors, [
    'Text after a closing quote in record 1',
    'Unterminated quoted field in record 2',
  ]);
});

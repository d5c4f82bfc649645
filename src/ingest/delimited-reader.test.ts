import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CeirFailure } from '../core/errors.js';
import {
  normaliseColumn,
  readDelimited,
  resolveHeader,
  type Delimiter,
  type DelimitedRecord,
} from './delimited-reader.js';

async function* chunked(bytes: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = Math.max(1, sizes.length > 0 ? sizes[k++ % sizes.length]! : bytes.length);
    yield bytes.subarray(i, i + n);
    i += n;
  }
}

async function readAll(
  text: string | Buffer,
  delimiter: Delimiter = ',',
  sizes: number[] = [],
): Promise<DelimitedRecord[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const out: DelimitedRecord[] = [];
  for await (const batch of readDelimited(chunked(bytes, sizes), delimiter, 'f.csv')) {
    out.push(...batch);
  }
  return out;
}

test('plain rows, CRLF and LF, blank lines skipped, 1-based line numbers', async () => {
  const recs = await readAll('a,b,c\r\n1,2,3\n\r\n4,,6\n,\n');
  assert.deepEqual(recs, [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['1', '2', '3'] },
    { line: 4, fields: ['4', '', '6'] },
    { line: 5, fields: ['', ''] },
  ]);
});

test('BOM dropped, last line without terminator, pipe delimiter, UTF-8 split across chunks', async () => {
  const text = '\uFEFFTAC|Name\n12345678|Café «x»|\n87654321|日本';
  for (const sizes of [[], [1], [2, 3], [5]]) {
    const recs = await readAll(text, '|', sizes);
    assert.deepEqual(recs, [
      { line: 1, fields: ['TAC', 'Name'] },
      { line: 2, fields: ['12345678', 'Café «x»', ''] },
      { line: 3, fields: ['87654321', '日本'] },
    ]);
  }
});

test('quoted fields: delimiter, doubled quotes, line breaks; stray quotes are literal', async () => {
  const recs = await readAll(
    '"a,1","say ""hi""",x\r\n"multi\r\nline",2,""\nab"c,"d"e,\n5 inch" screen,z\n',
  );
  assert.deepEqual(recs, [
    { line: 1, fields: ['a,1', 'say "hi"', 'x'] },
    { line: 2, fields: ['multi\r\nline', '2', ''] },
    { line: 4, fields: ['ab"c', 'de', ''] },
    { line: 5, fields: ['5 inch" screen', 'z'] },
  ]);
});

test('unterminated quote is a parse failure naming the file and line', async () => {
  await assert.rejects(readAll('a,b\n1,"open\n2,3\n'), (e: unknown) => {
    assert.ok(e instanceof CeirFailure);
    assert.equal(e.error.code, 'CEIR_ERR_PARSE');
    assert.deepEqual(e.error.at, { file: 'f.csv', line: 2 });
    return true;
  });
});

test('header: case-insensitive, any order, trimmed; missing and repeated columns named', () => {
  assert.equal(normaliseColumn('  Marketing Name '), 'marketing_name');
  const h = resolveHeader([' Status', 'IMEI ', 'Reporting_Date', 'extra'], ['imei', 'status'], {
    file: 'f.csv',
    line: 1,
  });
  assert.ok(h.kind === 'ok');
  assert.equal(h.value.index.get('imei'), 1);
  assert.equal(h.value.index.get('status'), 0);
  const miss = resolveHeader(['imei'], ['imei', 'reporting_date', 'status'], {
    file: 'stolen.csv',
    line: 1,
  });
  assert.ok(miss.kind === 'error');
  assert.match(miss.message, /"stolen.csv": missing required columns reporting_date, status/);
  const twice = resolveHeader(['imei', 'IMEI'], ['imei'], { file: 'f.csv', line: 1 });
  assert.ok(twice.kind === 'error');
  assert.match(twice.message, /appears twice/);
});

/** Writes a field with random quoting: always quoted when it must be (a leading U+FEFF too:
 * at the start of a file it would read as a byte-order mark). */
function writeField(v: string, quote: boolean, delim: string): string {
  const must =
    v.includes(delim) ||
    v.includes('"') ||
    v.includes('\n') ||
    v.includes('\r') ||
    v[0] === '\uFEFF';
  return must || quote || v === '' ? `"${v.replaceAll('"', '""')}"` : v;
}

test('property: records written with random quoting and line ends parse back', async () => {
  const field = fc.string({
    unit: fc.constantFrom('a', 'b', '1', ' ', ',', '|', '"', '\n', '\r\n', 'é', '日', '\uFEFF'),
    maxLength: 8,
  });
  const record = fc.array(fc.tuple(field, fc.boolean()), { minLength: 1, maxLength: 5 });
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(record, fc.boolean()), { minLength: 1, maxLength: 12 }),
      fc.constantFrom<Delimiter>(',', '|'),
      fc.boolean(),
      fc.array(fc.integer({ min: 1, max: 17 }), { maxLength: 4 }),
      async (rows, delim, bom, sizes) => {
        let text = bom ? '\uFEFF' : '';
        const expected: DelimitedRecord[] = [];
        let line = 1;
        for (const [fields, crlf] of rows) {
          // A record whose only field is empty would be a blank line: quote it.
          const written = fields.map(([v, q]) => writeField(v, q || fields.length === 1, delim));
          expected.push({ line, fields: fields.map(([v]) => v) });
          const body = written.join(delim);
          line += body.split('\n').length;
          text += body + (crlf ? '\r\n' : '\n');
        }
        const got = await readAll(text, delim, sizes);
        assert.deepEqual(got, expected);
      },
    ),
    { numRuns: 300 },
  );
});

test('throughput: 200k rows in well under a second', async () => {
  const row = '35209900176148,20240101,blacklist\n';
  const bytes = Buffer.from('imei,reporting_date,status\n' + row.repeat(200_000));
  const t0 = performance.now();
  let n = 0;
  for await (const batch of readDelimited(chunked(bytes, [1 << 16]), ',', 'big.csv')) {
    n += batch.length;
  }
  assert.equal(n, 200_001);
  assert.ok(performance.now() - t0 < 2000);
});

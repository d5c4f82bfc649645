import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseFormBody } from './form-body.js';

test('urlencoded fields', () => {
  const f = parseFormBody('application/x-www-form-urlencoded', Buffer.from('a=1&b=%3Cx%3E+y'));
  assert.equal(f.fields.get('a'), '1');
  assert.equal(f.fields.get('b'), '<x> y');
});

test('property: multipart made by the platform FormData parses back to its fields and file', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 300 }),
      async (text, bytes) => {
        const fd = new FormData();
        fd.append('_csrf', 'tok');
        fd.append('note', text);
        fd.append('file', new Blob([bytes], { type: 'text/csv' }), 'stock "1".csv');
        const r = new Request('http://x/', { method: 'POST', body: fd });
        const body = new Uint8Array(await r.arrayBuffer());
        const f = parseFormBody(r.headers.get('content-type') ?? undefined, body);
        assert.equal(f.fields.get('_csrf'), 'tok');
        assert.equal(f.fields.get('note'), text.replace(/\r\n|\r|\n/g, '\r\n'));
        const file = f.files.get('file');
        assert.ok(file);
        assert.deepEqual([...file.data], [...bytes]);
        assert.equal(file.contentType, 'text/csv');
      },
    ),
    { numRuns: 50 },
  );
});

/** The chain reader's base64 check against the plain form (whitespace removed, then checked). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromBase64, fromPemBody } from './chain-input.js';

/** The reference: remove whitespace, then base64 or base64url with at most two `=` at the end. */
function reference(s: string): Uint8Array | undefined {
  const t = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(t) || t.length === 0) return undefined;
  return new Uint8Array(
    Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64'),
  );
}

const pieces = fc.constantFrom(
  'QUJD',
  'YQ',
  'Yg=',
  '=',
  '==',
  '-',
  '_',
  '+',
  '/',
  ' ',
  '\n',
  '\r\n',
  '\t',
  '\u00a0',
  '\u2028',
  '*',
  '.',
  'é',
  'Zm9v',
  '',
);

/** `decode` equals the reference on texts joined from `parts`. */
function equalsReferenceOnPieces(
  decode: (s: string) => Uint8Array | undefined,
  parts: fc.Arbitrary<string>,
): void {
  fc.assert(
    fc.property(fc.array(parts, { maxLength: 12 }), (ps) => {
      const s = ps.join('');
      assert.deepEqual(decode(s), reference(s), JSON.stringify(s));
    }),
    { numRuns: 3000 },
  );
}

test('fromBase64 equals removing whitespace first, on texts made of base64 pieces', () => {
  equalsReferenceOnPieces(fromBase64, pieces);
});

test('fromBase64 equals removing whitespace first, on any text and on encoded bytes', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc
          .uint8Array({ maxLength: 80 })
          .map((b) => Buffer.from(b).toString('base64').replace(/.{16}/g, '$&\n')),
        fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('base64url')),
      ),
      (s) => assert.deepEqual(fromBase64(s), reference(s), JSON.stringify(s)),
    ),
    { numRuns: 2000 },
  );
});

const pemPieces = fc.constantFrom(
  'QUJD',
  'YQ',
  'Yg=',
  '=',
  '==',
  '+',
  '/',
  ' ',
  '\n',
  '\r\n',
  '\t',
  '\u00a0',
  'Zm9v',
  '',
);

test('fromPemBody equals removing whitespace first, on texts a CERTIFICATE block can hold', () => {
  equalsReferenceOnPieces(fromPemBody, pemPieces);
});

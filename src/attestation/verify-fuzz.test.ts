/** Property tests: whatever the bytes, the verifier answers (never throws) and never accepts junk. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { attest } from './attest.js';
import { parseKeyDescription } from './key-description.js';
import { keyDescriptionDer, makeChain } from './test-chains.js';

const AT = new Date('2026-01-20T00:00:00Z');
const chain = await makeChain({ omitRoot: true });
const anchors = [chain.anchor];

test('arbitrary bytes, texts and lists: invalid, never a throw', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 600 }),
        fc.string({ maxLength: 300 }),
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.base64String()), { maxLength: 4 }),
        fc
          .uint8Array({ maxLength: 300 })
          .map(
            (b) =>
              `-----BEGIN CERTIFICATE-----\n${Buffer.from(b).toString('base64')}\n-----END CERTIFICATE-----\n`,
          ),
      ),
      (input) => {
        const r = attest(input, { at: AT, anchors });
        assert.equal(r.verdict, 'invalid');
        assert.ok(r.reasons.length > 0);
      },
    ),
    { numRuns: 400 },
  );
});

test('one byte changed anywhere in a signed chain: invalid, never a throw', () => {
  const total = chain.ders.reduce((n, d) => n + d.length, 0);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: total - 1 }),
      fc.integer({ min: 1, max: 255 }),
      (pos, x) => {
        const ders = chain.ders.map((d) => Uint8Array.from(d));
        let p = pos;
        const i = ders.findIndex((d) => (p < d.length ? true : ((p -= d.length), false)));
        ders[i]![p]! ^= x;
        const r = attest(ders, { at: AT, anchors });
        assert.equal(r.verdict, 'invalid', `byte ${pos} ^ ${x}`);
      },
    ),
    { numRuns: 300 },
  );
});

test('KeyDescription: truncations and byte changes parse or are refused, never throw', () => {
  const der = keyDescriptionDer({ model: 'Pixel', brand: 'google' });
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: der.length - 1 }),
      fc.integer({ min: 0, max: 255 }),
      fc.boolean(),
      (pos, x, cut) => {
        const b = cut ? der.slice(0, pos) : Uint8Array.from(der);
        if (!cut) b[pos] = x;
        const r = parseKeyDescription(b);
        assert.ok(r.kind === 'ok' || r.kind === 'error');
        if (cut) assert.equal(r.kind, 'error');
      },
    ),
    { numRuns: 500 },
  );
});

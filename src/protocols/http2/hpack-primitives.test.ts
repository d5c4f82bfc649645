/** RFC 7541 §5.1 integers (Appendix C.1) and §5.2 strings: examples and round trips. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HpackError } from './hpack-error.js';
import {
  decodeInteger,
  decodeString,
  encodeInteger,
  encodeString,
  integerLength,
  stringLength,
} from './hpack-primitives.js';

describe('HPACK primitives', () => {
  it('C.1: 10 and 1337 with a 5-bit prefix, 42 with 8 bits', () => {
    const b = Buffer.alloc(8);
    assert.deepEqual([...b.subarray(0, encodeInteger(10, 5, 0, b, 0))], [0x0a]);
    assert.deepEqual([...b.subarray(0, encodeInteger(1337, 5, 0, b, 0))], [0x1f, 0x9a, 0x0a]);
    assert.deepEqual([...b.subarray(0, encodeInteger(42, 8, 0, b, 0))], [0x2a]);
    assert.equal(decodeInteger(Buffer.from([0xff, 0x9a, 0x0a]), 3, { pos: 0 }, 5), 1337);
  });

  it('round-trips integers of every prefix', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 1, max: 8 }),
        (v, n) => {
          const b = Buffer.alloc(8);
          const end = encodeInteger(v, n, 0, b, 0);
          assert.equal(end, integerLength(v, n));
          const cur = { pos: 0 };
          assert.equal(decodeInteger(b, end, cur, n), v);
          assert.equal(cur.pos, end);
        },
      ),
    );
  });

  it('rejects truncated and oversized integers', () => {
    assert.throws(() => decodeInteger(Buffer.from([0x1f, 0x80]), 2, { pos: 0 }, 5), HpackError);
    const huge = Buffer.from([0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert.throws(() => decodeInteger(huge, huge.length, { pos: 0 }, 5), HpackError);
  });

  it('round-trips strings, Huffman or not, and bounds their length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, huff) => {
        const s = Buffer.from(bytes).toString('latin1');
        const b = Buffer.alloc(stringLength(s));
        const end = encodeString(s, b, 0, huff);
        const cur = { pos: 0 };
        assert.equal(decodeString(b, end, cur, 1000), s);
        assert.equal(cur.pos, end);
        if (s.length > 10) assert.throws(() => decodeString(b, end, { pos: 0 }, 5), HpackError);
      }),
    );
  });
});

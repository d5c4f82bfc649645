/**
 * RFC 7541 Appendix C examples as golden vectors (exact bytes): C.2 single fields, C.3/C.4
 * request sequences without/with Huffman (one decoder per sequence: the dynamic table carries
 * over), C.5/C.6 response sequences with a 256-byte table (evictions). Plus the decoder's
 * bounds and its one error type on random input.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HpackDecoder } from './hpack-decoder.js';
import { HpackError } from './hpack-error.js';

type Fields = [string, string][];

function decode(d: HpackDecoder, hex: string): Fields {
  const b = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  const out: string[] = [];
  assert.equal(d.decode(b, 0, b.length, out), true);
  const f: Fields = [];
  for (let i = 0; i < out.length; i += 2) f.push([out[i]!, out[i + 1]!]);
  return f;
}

const REQ1: Fields = [
  [':method', 'GET'],
  [':scheme', 'http'],
  [':path', '/'],
  [':authority', 'www.example.com'],
];
const REQ2: Fields = [...REQ1, ['cache-control', 'no-cache']];
const REQ3: Fields = [
  [':method', 'GET'],
  [':scheme', 'https'],
  [':path', '/index.html'],
  [':authority', 'www.example.com'],
  ['custom-key', 'custom-value'],
];
const RESP1: Fields = [
  [':status', '302'],
  ['cache-control', 'private'],
  ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'],
  ['location', 'https://www.example.com'],
];
const RESP2: Fields = [[':status', '307'], ...RESP1.slice(1)];
const RESP3: Fields = [
  [':status', '200'],
  ['cache-control', 'private'],
  ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'],
  ['location', 'https://www.example.com'],
  ['content-encoding', 'gzip'],
  ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
];

describe('HPACK decoder: RFC 7541 Appendix C', () => {
  it('C.2.1-C.2.4 single representations', () => {
    const d = new HpackDecoder();
    assert.deepEqual(
      decode(d, '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'),
      [['custom-key', 'custom-header']],
    );
    assert.equal(d.table.size, 55);
    const d2 = new HpackDecoder();
    assert.deepEqual(decode(d2, '040c 2f73 616d 706c 652f 7061 7468'), [[':path', '/sample/path']]);
    assert.equal(d2.table.length, 0);
    const d3 = new HpackDecoder();
    assert.deepEqual(decode(d3, '1008 7061 7373 776f 7264 0673 6563 7265 74'), [
      ['password', 'secret'],
    ]);
    assert.equal(d3.table.length, 0);
    assert.deepEqual(decode(new HpackDecoder(), '82'), [[':method', 'GET']]);
  });

  it('C.3 requests without Huffman', () => {
    const d = new HpackDecoder();
    assert.deepEqual(decode(d, '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'), REQ1);
    assert.equal(d.table.size, 57);
    assert.deepEqual(decode(d, '8286 84be 5808 6e6f 2d63 6163 6865'), REQ2);
    assert.equal(d.table.size, 110);
    assert.deepEqual(
      decode(d, '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65'),
      REQ3,
    );
    assert.equal(d.table.size, 164);
  });

  it('C.4 requests with Huffman', () => {
    const d = new HpackDecoder();
    assert.deepEqual(decode(d, '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'), REQ1);
    assert.deepEqual(decode(d, '8286 84be 5886 a8eb 1064 9cbf'), REQ2);
    assert.deepEqual(
      decode(d, '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'),
      REQ3,
    );
    assert.equal(d.table.size, 164);
  });

  it('C.5 responses without Huffman, 256-byte table', () => {
    const d = new HpackDecoder({ maxTableSize: 256 });
    assert.deepEqual(
      decode(
        d,
        '4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032' +
          '303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      ),
      RESP1,
    );
    assert.equal(d.table.size, 222);
    assert.deepEqual(decode(d, '4803 3330 37c1 c0bf'), RESP2);
    assert.equal(d.table.size, 222);
    assert.deepEqual(
      decode(
        d,
        '88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0' +
          '5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851' +
          '5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31',
      ),
      RESP3,
    );
    assert.equal(d.table.size, 215);
    assert.equal(d.table.length, 3);
  });

  it('C.6 responses with Huffman, 256-byte table', () => {
    const d = new HpackDecoder({ maxTableSize: 256 });
    assert.deepEqual(
      decode(
        d,
        '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b' +
          'ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3',
      ),
      RESP1,
    );
    assert.deepEqual(decode(d, '4883 640e ffc1 c0bf'), RESP2);
    assert.deepEqual(
      decode(
        d,
        '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad' +
          '94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160' +
          '65c0 03ed 4ee5 b106 3d50 07',
      ),
      RESP3,
    );
    assert.equal(d.table.size, 215);
  });
});

describe('HPACK decoder bounds', () => {
  it('rejects index 0, out-of-range indexes, a size update above the limit or after a field', () => {
    for (const hex of ['80', 'be', '3fe21f', '823f01', 'ff', '4082']) {
      const b = Buffer.from(hex, 'hex');
      assert.throws(
        () => new HpackDecoder({ maxTableSize: 4096 }).decode(b, 0, b.length, []),
        HpackError,
        hex,
      );
    }
    // A size update to 0 at the start is fine and empties the table.
    const d = new HpackDecoder();
    decode(d, '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572');
    assert.deepEqual(decode(d, '20 82'), [[':method', 'GET']]);
    assert.equal(d.table.length, 0);
  });

  it('drops the fields of a block over the header list size, yet keeps the table in step', () => {
    const d = new HpackDecoder({ maxHeaderListSize: 60 });
    const b = Buffer.from(
      '400a637573746f6d2d6b65790d637573746f6d2d686561646572 82 82'.replace(/ /g, ''),
      'hex',
    );
    const out: string[] = [];
    assert.equal(d.decode(b, 0, b.length, out), false);
    assert.deepEqual(out, []);
    assert.equal(d.table.length, 1);
  });

  it('throws nothing but HpackError on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 4 }), (blocks) => {
        const d = new HpackDecoder({ maxTableSize: 256, maxHeaderListSize: 1024 });
        for (const b of blocks) {
          try {
            d.decode(b, 0, b.length, []);
          } catch (e) {
            if (!(e instanceof HpackError)) throw e;
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});

/** RFC 7541 §5.2 and Appendix B: the rebuilt code, round trips, and invalid strings. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HpackError } from './hpack-error.js';
import {
  HUFFMAN_CODES,
  HUFFMAN_LENGTHS,
  huffmanDecode,
  huffmanEncode,
  huffmanLength,
} from './hpack-huffman.js';

function enc(s: string): Buffer {
  const b = Buffer.alloc(huffmanLength(s));
  assert.equal(huffmanEncode(s, b, 0), b.length);
  return b;
}

describe('HPACK Huffman code', () => {
  it('is a complete prefix code (Kraft sum exactly 1) with Appendix B codes', () => {
    let sum = 0;
    for (const len of HUFFMAN_LENGTHS) sum += 2 ** -len;
    assert.equal(sum, 1);
    const samples: [number, number, number][] = [
      [0, 0x1ff8, 13],
      [32, 0x14, 6],
      [48, 0x0, 5],
      [92, 0x7fff0, 19],
      [127, 0xffffffc, 28],
      [255, 0x3ffffee, 26],
      [256, 0x3fffffff, 30],
    ];
    for (const [sym, code, len] of samples) {
      assert.equal(HUFFMAN_CODES[sym], code, `symbol ${sym}`);
      assert.equal(HUFFMAN_LENGTHS[sym], len, `symbol ${sym}`);
    }
  });

  it('encodes and decodes the Appendix C strings', () => {
    const vectors: [string, string][] = [
      ['www.example.com', 'f1e3c2e5f23a6ba0ab90f4ff'],
      ['no-cache', 'a8eb10649cbf'],
      ['custom-key', '25a849e95ba97d7f'],
      ['307', '640eff'],
      ['Mon, 21 Oct 2013 20:13:21 GMT', 'd07abe941054d444a8200595040b8166e082a62d1bff'],
      [
        'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1',
        '94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007',
      ],
    ];
    for (const [text, hex] of vectors) {
      assert.equal(enc(text).toString('hex'), hex);
      const b = Buffer.from(hex, 'hex');
      assert.equal(huffmanDecode(b, 0, b.length), text);
    }
  });

  it('round-trips any latin1 string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const s = Buffer.from(bytes).toString('latin1');
        const b = enc(s);
        assert.equal(huffmanDecode(b, 0, b.length), s);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects EOS, padding of 8 or more bits, and padding that is not all ones', () => {
    const eos = Buffer.from('ffffffff', 'hex'); // 30 one bits = EOS
    assert.throws(() => huffmanDecode(eos, 0, 4), HpackError);
    const longPad = Buffer.from('1fff', 'hex'); // '0' (00000) then 11 one bits
    assert.throws(() => huffmanDecode(longPad, 0, 2), HpackError);
    const zeroPad = Buffer.from('00', 'hex'); // '0' (00000) then 000: not EOS prefix
    assert.throws(() => huffmanDecode(zeroPad, 0, 1), HpackError);
    assert.equal(huffmanDecode(Buffer.from('07', 'hex'), 0, 1), '0');
  });
});

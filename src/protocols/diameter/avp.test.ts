import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  AVP_FLAG_M,
  AVP_FLAG_P,
  decodeAvps,
  encodeAvps,
  encodeRawAvp,
  readAddress,
  readGrouped,
  readTime,
  readUtf8,
  readValue,
  type OutAvp,
  type RawAvp,
} from './avp.js';
import { formatAddress, parseAddress } from './address.js';

/** An AVP tree: leaves carry octets, groups carry AVPs (the wire form of Grouped, RFC 6733 §4.4). */
type Tree =
  | { code: number; flags: number; vendorId: number; data: Uint8Array }
  | {
      code: number;
      flags: number;
      vendorId: number;
      children: Tree[];
    };

const header = {
  code: fc.integer({ min: 0, max: 0xffffffff }),
  flags: fc.constantFrom(0, AVP_FLAG_M, AVP_FLAG_P, AVP_FLAG_M | AVP_FLAG_P),
  vendorId: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 0xffffffff })),
};
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ ...header, data: fc.uint8Array({ maxLength: 40 }) }),
    fc.record({ ...header, children: fc.array(tie('tree'), { maxLength: 4 }) }),
  ),
}));

function toOut(t: Tree): OutAvp {
  const value =
    'data' in t
      ? ({ type: 'OctetString', value: t.data } as const)
      : ({ type: 'Grouped', value: t.children.map(toOut) } as const);
  return { code: t.code, flags: t.flags, vendorId: t.vendorId, value };
}

function fromRaw(a: RawAvp, shape: Tree): Tree {
  const h = { code: a.code, flags: a.flags & 0x7f, vendorId: a.vendorId };
  if ('data' in shape) return { ...h, data: new Uint8Array(a.data) };
  const g = readGrouped(a);
  assert.equal(g.kind, 'ok');
  if (g.kind !== 'ok') throw new Error();
  return { ...h, children: g.value.map((x, i) => fromRaw(x, shape.children[i]!)) };
}

test('arbitrary AVP trees encode and decode to the same tree', () => {
  fc.assert(
    fc.property(fc.array(tree, { maxLength: 5 }), (trees) => {
      const bytes = encodeAvps(trees.map(toOut));
      assert.equal(bytes.length % 4, 0);
      const d = decodeAvps(bytes);
      assert.equal(d.kind, 'ok');
      if (d.kind !== 'ok') return;
      const back = d.avps.map((a, i) => fromRaw(a, trees[i]!));
      const norm = (t: Tree): Tree =>
        'data' in t
          ? { ...t, data: new Uint8Array(t.data) }
          : { ...t, children: t.children.map(norm) };
      assert.deepEqual(back, trees.map(norm));
      // Re-encoding a decoded AVP gives its exact bytes (used for Failed-AVP).
      assert.deepEqual(Buffer.concat(d.avps.map(encodeRawAvp)), bytes);
    }),
  );
});

test('typed values round-trip through their wire form', () => {
  const one = (value: OutAvp['value']): RawAvp => {
    const d = decodeAvps(encodeAvps([{ code: 1, value }]));
    if (d.kind !== 'ok') throw new Error(d.reason);
    return d.avps[0]!;
  };
  const back = (value: OutAvp['value']) => {
    const r = readValue(one(value), value.type);
    assert.equal(r.kind, 'ok');
    return r.kind === 'ok' ? r.value : undefined;
  };
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme' }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      // RFC 4330 §3 eras: NTP seconds with the top bit set are 1968-2036, without it 2036-2104.
      fc.integer({ min: 2 ** 31 - 2208988800, max: 2 ** 31 - 1 + 2 ** 32 - 2208988800 }),
      (s, u32, i32, u64, i64, secs) => {
        assert.equal(back({ type: 'UTF8String', value: s }), s);
        assert.equal(back({ type: 'DiameterIdentity', value: s }), s);
        assert.equal(back({ type: 'Unsigned32', value: u32 }), u32);
        assert.equal(back({ type: 'Integer32', value: i32 }), i32);
        assert.equal(back({ type: 'Enumerated', value: i32 }), i32);
        assert.equal(back({ type: 'Unsigned64', value: u64 }), u64);
        assert.equal(back({ type: 'Integer64', value: i64 }), i64);
        const t = new Date(secs * 1000);
        assert.deepEqual(back({ type: 'Time', value: t }), t);
      },
    ),
  );
});

test('Address: IPv4 and IPv6 (RFC 5952 text) round-trip; other families are 5004', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.ipV4(), (b6, v4) => {
      const text = formatAddress(2, b6)!;
      assert.deepEqual(parseAddress(text)?.bytes, b6);
      assert.equal(formatAddress(1, parseAddress(v4)!.bytes), v4);
    }),
  );
  assert.equal(formatAddress(2, parseAddress('2001:db8:0:0:1:0:0:1')!.bytes), '2001:db8::1:0:0:1');
  assert.deepEqual([...parseAddress('::ffff:10.1.2.3')!.bytes.slice(10)], [255, 255, 10, 1, 2, 3]);
  assert.equal(parseAddress('1.2.3'), undefined);
  assert.equal(parseAddress('1::2::3'), undefined);
  const d = decodeAvps(Buffer.from('000001014000000e000800010203000000', 'hex').subarray(0, 16));
  assert.equal(d.kind, 'ok');
  if (d.kind === 'ok') assert.equal(readAddress(d.avps[0]!).kind, 'error');
});

test('malformed AVPs are 5014 / 5004 values with the offset', () => {
  const short = decodeAvps(Buffer.from('0000010740000004', 'hex'));
  assert.deepEqual(short.kind === 'error' && [short.resultCode, short.offset], [5014, 0]);
  const over = decodeAvps(Buffer.from('000001074000000c0000', 'hex'));
  assert.deepEqual(over.kind === 'error' && [over.resultCode, over.offset], [5014, 0]);
  const vshort = decodeAvps(Buffer.from('000001a5c000000a000028af', 'hex'));
  assert.equal(vshort.kind === 'error' && vshort.resultCode, 5014);
  const d = decodeAvps(Buffer.from('0000010740000009ff000000', 'hex'));
  assert.equal(d.kind, 'ok');
  if (d.kind === 'ok') {
    const u = readUtf8(d.avps[0]!);
    assert.equal(u.kind === 'error' && u.resultCode, 5004);
    const t = readTime(d.avps[0]!);
    assert.equal(t.kind === 'error' && t.resultCode, 5014);
  }
});

test('decoding random bytes never throws', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const d = decodeAvps(Buffer.from(bytes));
      if (d.kind === 'ok') {
        for (const a of d.avps) {
          for (const t of ['UTF8String', 'Unsigned32', 'Address', 'Time', 'Grouped'] as const) {
            readValue(a, t);
          }
        }
      }
    }),
    { numRuns: 2000 },
  );
});

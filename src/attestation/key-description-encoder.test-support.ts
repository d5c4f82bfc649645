/**
 * Test support: KeyDescriptions (Android "Key and ID attestation" schema) as a plain model,
 * encoded in DER (X.690 section 10) or, on request, with one or more BER departures from DER at
 * chosen TLVs (long or indefinite lengths, long tag numbers, padded INTEGERs, BOOLEAN 0x01,
 * constructed OCTET STRINGs, fields out of order or twice, trailing bytes...). Used to show that
 * the component decoding accepts and refuses exactly as the whole-extension schema decoding.
 */
import fc from 'fast-check';
import { AUTHORIZATION_KINDS, type ComponentKind } from './authorization-tags.js';

export type Value =
  | { kind: 'integer'; v: bigint }
  | { kind: 'integerSet'; v: bigint[] }
  | { kind: 'null' }
  | { kind: 'octets'; v: Uint8Array }
  | {
      kind: 'rootOfTrust';
      key: Uint8Array;
      locked: boolean;
      state: bigint;
      hash: Uint8Array | undefined;
    };

export interface Item {
  readonly tag: number;
  readonly value: Value;
}

export interface Model {
  readonly attestationVersion: bigint;
  readonly attestationSecurityLevel: bigint;
  readonly keyMintVersion: bigint;
  readonly keyMintSecurityLevel: bigint;
  readonly challenge: Uint8Array;
  readonly uniqueId: Uint8Array;
  readonly software: readonly Item[];
  readonly hardware: readonly Item[];
}

/** BER departures from DER, applied at the n-th TLV written (counting from 0). */
export type Departure =
  | 'longLength'
  | 'longerLength'
  | 'indefinite'
  | 'longTag'
  | 'padInteger'
  | 'booleanOne'
  | 'constructedOctets'
  | 'extraChild'
  | 'primitiveWrapper';

export interface Encoding {
  readonly departures: ReadonlyMap<number, Departure>;
  readonly swapItems: boolean;
  readonly duplicateItem: boolean;
  readonly trailing: boolean;
}

export const DER: Encoding = {
  departures: new Map(),
  swapItems: false,
  duplicateItem: false,
  trailing: false,
};

function lengthBytes(n: number, d: Departure | undefined): number[] {
  if (d === 'longerLength') return [0x82, n >> 8, n & 0xff];
  if (n < 0x80) return d === 'longLength' ? [0x81, n] : [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function tagBytes(cls: number, constructed: boolean, n: number, d: Departure | undefined) {
  const first = cls | (constructed ? 0x20 : 0);
  if (n < 31 && d !== 'longTag') return [first | n];
  const digits = [n & 0x7f];
  for (let x = n >> 7; x > 0; x >>= 7) digits.unshift(0x80 | (x & 0x7f));
  return [first | 0x1f, ...(d === 'longTag' ? [0x80] : []), ...digits];
}

/** Two's-complement minimal INTEGER contents (X.690 section 8.3). */
function integerContents(v: bigint): number[] {
  const out: number[] = [];
  let x = v;
  for (;;) {
    out.unshift(Number(BigInt.asUintN(8, x)));
    x >>= 8n;
    const sign = (out[0]! & 0x80) !== 0;
    if ((x === 0n && !sign) || (x === -1n && sign)) break;
  }
  return out;
}

class Writer {
  private n = 0;
  constructor(private readonly e: Encoding) {}

  private next(): Departure | undefined {
    return this.e.departures.get(this.n++);
  }

  tlv(cls: number, constructed: boolean, tag: number, contents: number[], d = this.next()) {
    if (d === 'indefinite' && constructed)
      return [...tagBytes(cls, true, tag, undefined), 0x80, ...contents, 0, 0];
    return [...tagBytes(cls, constructed, tag, d), ...lengthBytes(contents.length, d), ...contents];
  }

  integer(v: bigint, tag = 2) {
    const d = this.next();
    const c = integerContents(v);
    if (d === 'padInteger') c.unshift(v < 0n ? 0xff : 0);
    return this.tlv(0, false, tag, c, d);
  }

  octets(v: Uint8Array) {
    const d = this.next();
    if (d === 'constructedOctets') {
      const half = v.length >> 1;
      const parts = [[...v.subarray(0, half)], [...v.subarray(half)]];
      return this.tlv(
        0,
        true,
        4,
        parts.flatMap((p) => this.tlv(0, false, 4, p, undefined)),
        d,
      );
    }
    return this.tlv(0, false, 4, [...v], d);
  }

  boolean(v: boolean) {
    const d = this.next();
    return this.tlv(0, false, 1, [v ? (d === 'booleanOne' ? 0x01 : 0xff) : 0], d);
  }

  value(x: Value): number[] {
    switch (x.kind) {
      case 'integer':
        return this.integer(x.v);
      case 'integerSet':
        return this.tlv(
          0,
          true,
          17,
          x.v.flatMap((i) => this.integer(i)),
        );
      case 'null':
        return this.tlv(0, false, 5, []);
      case 'octets':
        return this.octets(x.v);
      case 'rootOfTrust':
        return this.tlv(0, true, 16, [
          ...this.octets(x.key),
          ...this.boolean(x.locked),
          ...this.integer(x.state, 10),
          ...(x.hash ? this.octets(x.hash) : []),
        ]);
    }
  }

  item(i: Item): number[] {
    const d = this.next();
    const inner = this.value(i.value);
    const contents = d === 'extraChild' ? [...inner, 0x05, 0x00] : inner;
    return this.tlv(0x80, d !== 'primitiveWrapper', i.tag, contents, d);
  }

  list(items: readonly Item[]): number[] {
    let parts = items.map((i) => this.item(i));
    if (this.e.duplicateItem && parts.length > 0) parts = [...parts, parts.at(-1)!];
    if (this.e.swapItems && parts.length > 1) parts = [parts[1]!, parts[0]!, ...parts.slice(2)];
    return this.tlv(0, true, 16, parts.flat());
  }
}

/** The model's bytes: DER, unless `e` asks for departures. */
export function encodeKeyDescription(m: Model, e: Encoding = DER): Uint8Array {
  const w = new Writer(e);
  const out = w.tlv(0, true, 16, [
    ...w.integer(m.attestationVersion),
    ...w.integer(m.attestationSecurityLevel, 10),
    ...w.integer(m.keyMintVersion),
    ...w.integer(m.keyMintSecurityLevel, 10),
    ...w.octets(m.challenge),
    ...w.octets(m.uniqueId),
    ...w.list(m.software),
    ...w.list(m.hardware),
  ]);
  if (e.trailing) out.push(0);
  return Uint8Array.from(out);
}

const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const smallInt = fc.bigInt({ min: 0n, max: 1000n });
const anyInt = fc.oneof(
  smallInt,
  fc.bigInt({ min: 0n, max: 2n ** 48n }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);

function valueOf(kind: ComponentKind, wide: boolean): fc.Arbitrary<Value> {
  const int = wide ? anyInt : smallInt;
  switch (kind) {
    case 'integer':
    case 'enumerated':
      return int.map((v) => ({ kind: 'integer', v }));
    case 'integerSet':
      return fc.array(int, { maxLength: 3 }).map((v) => ({ kind: 'integerSet', v }));
    case 'null':
      return fc.constant({ kind: 'null' });
    case 'octets':
      return fc
        .oneof(
          bytes(20),
          fc.stringMatching(/^[0-9]{15}$/).map((s) => Buffer.from(s)),
        )
        .map((v) => ({ kind: 'octets', v }));
    case 'rootOfTrust':
      return fc.record({
        kind: fc.constant('rootOfTrust' as const),
        key: bytes(33),
        locked: fc.boolean(),
        state: wide ? fc.bigInt({ min: -1n, max: 5n }) : fc.bigInt({ min: 0n, max: 3n }),
        hash: fc.option(bytes(33), { nil: undefined }),
      });
  }
}

const KNOWN = [...AUTHORIZATION_KINDS.entries()];

/** An AuthorizationList: known tags in ascending order (and, when `wide`, unknown ones). */
function items(wide: boolean): fc.Arbitrary<Item[]> {
  const known = fc
    .subarray(KNOWN, { maxLength: 14 })
    .chain((fields) =>
      fc.tuple(...fields.map(([tag, f]) => valueOf(f.kind, wide).map((value) => ({ tag, value })))),
    );
  const unknown = wide
    ? fc.array(
        fc.record({
          tag: fc.constantFrom(4, 7, 31, 725, 1000, 9999),
          value: valueOf('integer', false),
        }),
        { maxLength: 1 },
      )
    : fc.constant([]);
  return fc.tuple(known, unknown).map(([a, b]) => [...a, ...b].sort((x, y) => x.tag - y.tag));
}

/** KeyDescription models: `wide` adds values and tags outside the schema's usual range. */
export function models(wide: boolean): fc.Arbitrary<Model> {
  const level = wide ? fc.bigInt({ min: -1n, max: 4n }) : fc.bigInt({ min: 0n, max: 2n });
  const version = wide ? anyInt : fc.constantFrom(1n, 2n, 3n, 4n, 100n, 200n, 300n, 400n);
  return fc.record({
    attestationVersion: version,
    attestationSecurityLevel: level,
    keyMintVersion: version,
    keyMintSecurityLevel: level,
    challenge: bytes(40),
    uniqueId: bytes(8),
    software: items(wide),
    hardware: items(wide),
  });
}

const DEPARTURES: readonly Departure[] = [
  'longLength',
  'longerLength',
  'indefinite',
  'longTag',
  'padInteger',
  'booleanOne',
  'constructedOctets',
  'extraChild',
  'primitiveWrapper',
];

const rarely = fc.nat({ max: 9 }).map((n) => n === 0);

/** Encodings with one or two departures, and now and then fields swapped, repeated or trailing. */
export const encodings: fc.Arbitrary<Encoding> = fc.record({
  departures: fc
    .array(fc.tuple(fc.nat({ max: 40 }), fc.constantFrom(...DEPARTURES)), {
      minLength: 1,
      maxLength: 2,
    })
    .map((l) => new Map(l)),
  swapItems: rarely,
  duplicateItem: rarely,
  trailing: rarely,
});

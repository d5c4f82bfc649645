/**
 * The KeyDescription (OID 1.3.6.1.4.1.11129.2.1.17, Android "Key and ID attestation") decoded
 * component by component: the SEQUENCE and each AuthorizationList are split at their DER headers
 * (X.690 section 8.1.2-8.1.3, DER section 10.1: definite, minimal lengths and tag numbers), and
 * every component (a top-level field, or one `[tag] EXPLICIT` item of a list) is decoded by the
 * ASN.1 library (`asn1js.fromBER`, then `@peculiar/asn1-schema`'s converter or
 * `@peculiar/asn1-android`'s class for its type) and re-encoded by it, the re-encoding equal to
 * its bytes (DER: X.690 section 10/11). Components repeat across devices (purpose, digests,
 * root of trust of a build, OS patch levels, brand, model...), so their decodings are memoised by
 * their bytes; per-device ones (challenge, creation time, serial, IMEIs, MEID) are not kept.
 *
 * Only the common case is taken: fields in schema order, known tags, every component as the
 * library re-encodes it. Anything else gives `undefined`, and the whole-extension schema decoding
 * (`key-description.ts`) decides and names the refusal; `key-description-equivalence.test.ts`
 * shows that `parseKeyDescription` gives what the whole decoding alone gives, fields or refusal.
 */
import 'reflect-metadata';
import * as asn1js from 'asn1js';
import {
  AsnEnumeratedConverter,
  AsnIntegerConverter,
  AsnNullConverter,
  AsnParser,
  AsnSerializer,
  OctetString,
} from '@peculiar/asn1-schema';
import { AuthorizationList, IntegerSet, KeyDescription, RootOfTrust } from '@peculiar/asn1-android';
import { AUTHORIZATION_KINDS, type ComponentKind } from './authorization-tags.js';

/** A component's universal tag byte (X.690 section 8.1.2, universal class). */
const TAG_BYTE: Readonly<Record<ComponentKind, number>> = {
  integer: 0x02,
  enumerated: 0x0a,
  null: 0x05,
  octets: 0x04,
  integerSet: 0x31,
  rootOfTrust: 0x30,
};

/** The KeyDescription's first six fields (the two AuthorizationLists follow). */
const HEAD: readonly ComponentKind[] = [
  'integer',
  'enumerated',
  'integer',
  'enumerated',
  'octets',
  'octets',
];

/** attestationChallenge: new for every attestation, never kept (uniqueId is mostly empty). */
const CHALLENGE = 4;

/**
 * No speculative decoding of OCTET STRING contents; no copy of the input (every value kept is
 * copied out by the converters: OCTET STRINGs through `valueHex`, the rest are numbers).
 */
const BER = { parseEmbedded: false, copyInput: false } as const;

/** A DER header: tag number (0x1f... multi-byte form read), class/constructed bits, contents. */
interface Header {
  readonly first: number;
  readonly number: number;
  readonly start: number;
  readonly end: number;
}

/**
 * The DER header at `pos` (contents ending at or before `limit`), or undefined unless it is in
 * DER form: tag number in the short form below 31, else the shortest long form (at most 2
 * octets); definite length in the shortest form (at most 2 octets).
 */
function header(der: Uint8Array, pos: number, limit: number): Header | undefined {
  if (pos + 2 > limit) return undefined;
  const first = der[pos]!;
  let number = first & 0x1f;
  let p = pos + 1;
  if (number === 0x1f) {
    const a = der[p++]!;
    if (a === 0x80) return undefined;
    if (a < 0x80) number = a;
    else {
      if (p >= limit) return undefined;
      const b = der[p++]!;
      if (b >= 0x80) return undefined;
      number = (a & 0x7f) * 128 + b;
    }
    if (number < 31 || p >= limit) return undefined;
  }
  const l = der[p++]!;
  let length = l;
  if (l >= 0x80) {
    const n = l & 0x7f;
    if (n === 0 || n > 2 || p + n > limit) return undefined;
    length = n === 1 ? der[p]! : der[p]! * 256 + der[p + 1]!;
    if (length < (n === 1 ? 0x80 : 0x100)) return undefined;
    p += n;
  }
  const end = p + length;
  return end > limit ? undefined : { first, number, start: p, end };
}

const memo = new Map<string, unknown>();
let memoOn = true;
const MAX_MEMO = 4096;
const REFUSED = Symbol('refused');

const same = (a: ArrayBuffer, b: Uint8Array) => Buffer.from(a).equals(b);

/** The library's decoding of one component and whether it re-encodes to the same bytes. */
function libraryDecode(kind: ComponentKind, bytes: Uint8Array): unknown {
  const parsed = asn1js.fromBER(bytes, BER);
  if (parsed.offset !== bytes.length || parsed.result.error) return REFUSED;
  const node = parsed.result;
  let value: unknown;
  let re: ArrayBuffer;
  switch (kind) {
    case 'integer':
      value = AsnIntegerConverter.fromASN(node as asn1js.Integer);
      re = AsnIntegerConverter.toASN(value as number).toBER(false);
      break;
    case 'enumerated':
      value = AsnEnumeratedConverter.fromASN(node as asn1js.Enumerated);
      re = AsnEnumeratedConverter.toASN(value as number).toBER(false);
      break;
    case 'null':
      value = AsnNullConverter.fromASN(node as asn1js.Null);
      re = AsnNullConverter.toASN(null).toBER(false);
      break;
    case 'octets': {
      const o = new OctetString().fromASN(node as asn1js.OctetString);
      value = o;
      re = o.toASN().toBER(false);
      break;
    }
    case 'integerSet':
      value = AsnParser.fromASN(node, IntegerSet);
      re = AsnSerializer.serialize(value);
      break;
    case 'rootOfTrust':
      value = AsnParser.fromASN(node, RootOfTrust);
      re = AsnSerializer.serialize(value);
      break;
  }
  return same(re, bytes) ? value : REFUSED;
}

/**
 * One component (a complete TLV) decoded, or REFUSED; memoised by its bytes when `keep` (the
 * first byte is the kind's own tag, so the bytes alone name the kind).
 */
function component(kind: ComponentKind, der: Buffer, h: Header, pos: number, keep: boolean) {
  if (der[pos] !== TAG_BYTE[kind]) return REFUSED;
  if (!keep || !memoOn) return libraryDecode(kind, der.subarray(pos, h.end));
  const key = der.toString('latin1', pos, h.end);
  let v = memo.get(key);
  if (v === undefined) {
    try {
      v = libraryDecode(kind, der.subarray(pos, h.end));
    } catch {
      v = REFUSED;
    }
    if (memo.size >= MAX_MEMO) memo.clear();
    memo.set(key, v);
  }
  return v;
}

/** Tags whose values differ per device or per key: decoded every time, not kept. */
const PER_DEVICE = new Set([701, 713, 714, 715, 723]);

/** One AuthorizationList (SEQUENCE of `[tag] EXPLICIT` items, ascending tags) or undefined. */
function authorizationList(
  der: Buffer,
  list: Header,
): { list: AuthorizationList; tags: number[] } | undefined {
  if (list.first !== 0x30) return undefined;
  const out = new AuthorizationList();
  const tags: number[] = [];
  let last = -1;
  for (let pos = list.start; pos < list.end;) {
    const item = header(der, pos, list.end);
    // Context-specific, constructed (X.690 section 8.14: EXPLICIT tagging).
    if (!item || (item.first & 0xe0) !== 0xa0 || item.number <= last) return undefined;
    const field = AUTHORIZATION_KINDS.get(item.number);
    if (!field) return undefined;
    const inner = header(der, item.start, item.end);
    if (!inner || inner.end !== item.end) return undefined;
    const v = component(field.kind, der, inner, item.start, !PER_DEVICE.has(item.number));
    if (v === REFUSED) return undefined;
    (out as unknown as Record<string, unknown>)[field.name] = v;
    tags.push(item.number);
    last = item.number;
    pos = item.end;
  }
  return { list: out, tags };
}

/** The decoded KeyDescription when every component is in DER as the library encodes it. */
export interface ComponentDecoding {
  readonly kd: KeyDescription;
  readonly softwareTags: number[];
  readonly hardwareTags: number[];
}

/**
 * Decodes `input` component by component; undefined when any part is outside the common DER
 * case (the caller then decodes the whole extension with the library, which names the fault).
 * Never throws.
 */
export function decodeByComponents(value: Uint8Array): ComponentDecoding | undefined {
  const input = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  try {
    const root = header(input, 0, input.length);
    if (!root || root.first !== 0x30 || root.end !== input.length) return undefined;
    const head: unknown[] = [];
    let pos = root.start;
    for (const [i, kind] of HEAD.entries()) {
      const h = header(input, pos, root.end);
      if (!h) return undefined;
      const v = component(kind, input, h, pos, i !== CHALLENGE);
      if (v === REFUSED) return undefined;
      head.push(v);
      pos = h.end;
    }
    const swHeader = header(input, pos, root.end);
    if (!swHeader) return undefined;
    const hwHeader = header(input, swHeader.end, root.end);
    if (!hwHeader || hwHeader.end !== root.end) return undefined;
    const sw = authorizationList(input, swHeader);
    const hw = sw && authorizationList(input, hwHeader);
    if (!sw || !hw) return undefined;
    const kd = new KeyDescription({
      attestationVersion: head[0] as number,
      attestationSecurityLevel: head[1] as number,
      keymasterVersion: head[2] as number,
      keymasterSecurityLevel: head[3] as number,
      attestationChallenge: head[4] as OctetString,
      uniqueId: head[5] as OctetString,
      softwareEnforced: sw.list,
      teeEnforced: hw.list,
    });
    return { kd, softwareTags: sw.tags, hardwareTags: hw.tags };
  } catch {
    return undefined;
  }
}

/** Turns the memo of component decodings on or off (benchmarks measure both), emptying it. */
export function setComponentMemo(on: boolean): void {
  memoOn = on;
  memo.clear();
}

/**
 * Finds one extension's value in a DER certificate by walking tag/length headers only (X.690
 * section 8.1 identifier and length octets, DER section 10.1 definite minimal lengths), along
 * RFC 5280 section 4.1: Certificate -> tbsCertificate -> [3] EXPLICIT extensions -> Extension
 * { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }. Nothing else is decoded: the
 * certificate's signature and fields are checked by OpenSSL (`node:crypto`), and the value found
 * is parsed by the ASN.1 library (`key-description.ts`). Bounded: every step moves forward
 * inside its parent's length, so any bytes give an answer in one pass, never an exception.
 */

/** A header: tag byte, where the contents start and end. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

const SEQUENCE = 0x30;
const OID = 0x06;
const BOOLEAN = 0x01;
const OCTET_STRING = 0x04;
/** tbsCertificate's `extensions [3] EXPLICIT` (context-specific, constructed, number 3). */
const EXTENSIONS = 0xa3;

/** Reads the header at `pos`, its contents ending at or before `limit`; a text when malformed. */
export function header(der: Uint8Array, pos: number, limit: number): Tlv | string {
  if (pos + 2 > limit) return `truncated header at byte ${pos}`;
  const tag = der[pos]!;
  if ((tag & 0x1f) === 0x1f) return `multi-byte tag at byte ${pos}`;
  const first = der[pos + 1]!;
  let length: number;
  let start = pos + 2;
  if (first < 0x80) length = first;
  else {
    const n = first & 0x7f;
    // 0x80 is the BER indefinite form; lengths beyond 4 octets exceed any certificate.
    if (n === 0 || n > 4) return `length form 0x${first.toString(16)} at byte ${pos + 1}`;
    if (start + n > limit) return `truncated length at byte ${pos + 1}`;
    if (der[start] === 0) return `non-minimal length at byte ${pos + 1}`;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[start + i]!;
    if (length < 0x80) return `non-minimal length at byte ${pos + 1}`;
    start += n;
  }
  const end = start + length;
  if (end > limit) return `length ${length} at byte ${pos + 1} runs past its container`;
  return { tag, start, end };
}

function expect(der: Uint8Array, pos: number, limit: number, tag: number, what: string) {
  const h = header(der, pos, limit);
  if (typeof h === 'string') return `${what}: ${h}`;
  if (h.tag !== tag)
    return `${what}: tag 0x${h.tag.toString(16)} at byte ${pos}, expected 0x${tag.toString(16)}`;
  return h;
}

/** The DER contents octets of an OBJECT IDENTIFIER in dotted form (X.690 section 8.19). */
export function oidContents(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const put = (v: number) => {
    const bytes = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128))
      bytes.unshift(0x80 | (x % 128));
    out.push(...bytes);
  };
  put(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) put(a);
  return Uint8Array.from(out);
}

function sameBytes(der: Uint8Array, start: number, end: number, want: Uint8Array): boolean {
  if (end - start !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (der[start + i] !== want[i]) return false;
  return true;
}

/**
 * The contents of the `extnValue` OCTET STRING of the extension `oid` (its DER contents
 * octets, from `oidContents`) in the certificate `der`, as a view of `der`; undefined when the
 * certificate has no such extension; a text naming the byte when the structure is malformed or
 * the extension appears twice (RFC 5280 section 4.2).
 */
export function findExtension(der: Uint8Array, oid: Uint8Array): Uint8Array | undefined | string {
  const cert = expect(der, 0, der.length, SEQUENCE, 'Certificate');
  if (typeof cert === 'string') return cert;
  if (cert.end !== der.length) return `Certificate: ${der.length - cert.end} bytes after its end`;
  const tbs = expect(der, cert.start, cert.end, SEQUENCE, 'tbsCertificate');
  if (typeof tbs === 'string') return tbs;
  let exts: Tlv | undefined;
  for (let pos = tbs.start; pos < tbs.end;) {
    const h = header(der, pos, tbs.end);
    if (typeof h === 'string') return `tbsCertificate: ${h}`;
    if (h.tag === EXTENSIONS) {
      if (exts) return `tbsCertificate: a second extensions field at byte ${pos}`;
      exts = h;
    }
    pos = h.end;
  }
  if (!exts) return undefined;
  const list = expect(der, exts.start, exts.end, SEQUENCE, 'Extensions');
  if (typeof list === 'string') return list;
  if (list.end !== exts.end) return `Extensions: bytes after the SEQUENCE at byte ${list.end}`;
  let found: Uint8Array | undefined;
  for (let pos = list.start; pos < list.end;) {
    const ext = expect(der, pos, list.end, SEQUENCE, 'Extension');
    if (typeof ext === 'string') return ext;
    const id = expect(der, ext.start, ext.end, OID, 'extnID');
    if (typeof id === 'string') return id;
    let next = header(der, id.end, ext.end);
    if (typeof next === 'string') return `Extension: ${next}`;
    if (next.tag === BOOLEAN) next = header(der, next.end, ext.end);
    if (typeof next === 'string') return `Extension: ${next}`;
    if (next.tag !== OCTET_STRING)
      return `extnValue: tag 0x${next.tag.toString(16)}, expected 0x${OCTET_STRING.toString(16)}`;
    if (next.end !== ext.end) return `Extension: bytes after extnValue at byte ${next.end}`;
    if (sameBytes(der, id.start, id.end, oid)) {
      if (found) return `extension appears twice (RFC 5280 section 4.2), again at byte ${pos}`;
      found = der.subarray(next.start, next.end);
    }
    pos = ext.end;
  }
  return found;
}

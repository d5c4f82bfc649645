/**
 * The leaf certificate checked without parsing it with OpenSSL (decision 0004): split at its DER
 * headers (RFC 5280 section 4.1: tbsCertificate, signatureAlgorithm, signatureValue; in
 * tbsCertificate version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo,
 * extensions) into the parts every leaf of one issuer shares (the "template": algorithm
 * identifiers, both Names, validity, key algorithm, the extensions with the KeyDescription's
 * value left out) and the per-device parts (serial, public key, KeyDescription value,
 * signature). The template's outcome (OpenSSL's subject and issuer texts, dates, key type and
 * `X509_check_issued` against that issuer) is learnt from the OpenSSL path the first time a
 * leaf the issuer signed shows the template, and memoised per issuer certificate (at most 256);
 * the per-device parts are checked here:
 * serial a positive minimal DER INTEGER, key an on-curve EC point (OpenSSL's `EC_POINT_oct2point`
 * through `ECDH.convertKey`) or a DER RSAPublicKey, signature verified by `node:crypto` with the
 * issuer's key over the tbsCertificate bytes. Whatever is not this common case (unknown
 * template, another algorithm, a signature that does not verify, a PEM marker in the bytes:
 * OpenSSL would read the PEM instead) answers `undefined`, and the caller parses the leaf with
 * OpenSSL as before. `leaf-certificate-equivalence.test.ts` shows both give the same result.
 */
import { ECDH, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { CertificateSummary } from './attestation-types.js';
import {
  certificateCacheOn,
  type IssuedCheck,
  type ParsedCertificate,
} from './certificate-cache.js';
import { header, oidContents, type Tlv } from './der-extension.js';
import { KEY_DESCRIPTION_OID } from './key-description.js';

/** What OpenSSL made of a template's parts (values of the `X509Certificate` of a leaf). */
export interface LeafTemplate {
  readonly subject: string;
  readonly issuer: string;
  readonly keyType: string;
  readonly notBefore: number;
  readonly notAfter: number;
  /** `X509_check_issued(issuer, leaf)`: depends on the issuer and the template's parts only. */
  readonly names: boolean;
}

/** A leaf checked by its components: what `verifyChain` needs of it. */
export interface ComponentLeaf {
  readonly summary: CertificateSummary;
  readonly notBefore: number;
  readonly notAfter: number;
  /** Against the chain's next certificate; the signature verified (else no ComponentLeaf). */
  readonly issued: IssuedCheck;
}

/** Signature algorithms taken, by their exact AlgorithmIdentifier bytes (hex). */
const SIGNATURES: ReadonlyMap<string, { readonly digest: string; readonly key: string }> = new Map([
  ['300d06092a864886f70d01010b0500', { digest: 'sha256', key: 'rsa' }],
  ['300d06092a864886f70d01010c0500', { digest: 'sha384', key: 'rsa' }],
  ['300d06092a864886f70d01010d0500', { digest: 'sha512', key: 'rsa' }],
  ['300a06082a8648ce3d040302', { digest: 'sha256', key: 'ec' }],
  ['300a06082a8648ce3d040303', { digest: 'sha384', key: 'ec' }],
  ['300a06082a8648ce3d040304', { digest: 'sha512', key: 'ec' }],
]);

/** Key algorithms taken (SPKI AlgorithmIdentifier bytes, hex): RSA, or an EC named curve. */
type KeyAlgorithm =
  | { readonly kind: 'rsa' }
  | { readonly kind: 'ec'; readonly curve: string; readonly point: number };
const KEYS: ReadonlyMap<string, KeyAlgorithm> = new Map<string, KeyAlgorithm>([
  ['300d06092a864886f70d0101010500', { kind: 'rsa' }],
  ['301306072a8648ce3d020106082a8648ce3d030107', { kind: 'ec', curve: 'prime256v1', point: 65 }],
  ['301006072a8648ce3d020106052b81040022', { kind: 'ec', curve: 'secp384r1', point: 97 }],
  ['301006072a8648ce3d020106052b81040023', { kind: 'ec', curve: 'secp521r1', point: 133 }],
]);

const KD_OID = oidContents(KEY_DESCRIPTION_OID);
/** tbsCertificate's `version [0] EXPLICIT INTEGER` v3. */
const VERSION_3 = [0xa0, 0x03, 0x02, 0x01, 0x02];
/** Never a byte of a latin1 string: separates the template's parts. */
const MARK = '\u0100';
/** PEM_read_bio, tried first by node's X509Certificate, would take a PEM block in the bytes. */
const PEM_MARKER = Buffer.from('-----BEGIN', 'latin1');

/** The leaf's parts, or undefined when it is not the common DER case. */
interface LeafParts {
  readonly template: string;
  readonly signature: { readonly digest: string; readonly key: string };
  readonly keyAlgorithm: KeyAlgorithm;
  readonly serial: string;
  readonly tbs: Uint8Array;
  readonly key: Uint8Array;
  readonly signatureValue: Uint8Array;
}

function tlv(der: Uint8Array, pos: number, limit: number, tag: number): Tlv | undefined {
  const h = header(der, pos, limit);
  return typeof h === 'string' || h.tag !== tag ? undefined : h;
}

/** A positive, non-zero INTEGER's contents in DER (X.690 section 8.3.2: minimal). */
function positiveInteger(der: Uint8Array, h: Tlv): boolean {
  const n = h.end - h.start;
  if (n === 0) return false;
  const a = der[h.start]!;
  if (a >= 0x80) return false;
  if (a === 0) return n > 1 && der[h.start + 1]! >= 0x80;
  return true;
}

function splitLeaf(der: Buffer): LeafParts | undefined {
  const cert = tlv(der, 0, der.length, 0x30);
  if (!cert || cert.end !== der.length) return undefined;
  const tbs = tlv(der, cert.start, cert.end, 0x30);
  if (!tbs) return undefined;
  const outerAlg = tlv(der, tbs.end, cert.end, 0x30);
  if (!outerAlg) return undefined;
  const sig = tlv(der, outerAlg.end, cert.end, 0x03);
  if (!sig || sig.end !== cert.end || sig.end - sig.start < 2 || der[sig.start] !== 0)
    return undefined;
  let pos = tbs.start;
  for (const b of VERSION_3) if (der[pos++] !== b) return undefined;
  const serial = tlv(der, pos, tbs.end, 0x02);
  if (!serial || !positiveInteger(der, serial)) return undefined;
  const alg = tlv(der, serial.end, tbs.end, 0x30);
  if (!alg) return undefined;
  const algBytes = der.subarray(serial.end, alg.end);
  if (!algBytes.equals(der.subarray(tbs.end, outerAlg.end))) return undefined;
  const signature = SIGNATURES.get(algBytes.toString('hex'));
  if (!signature) return undefined;
  const issuer = tlv(der, alg.end, tbs.end, 0x30);
  const validity = issuer && tlv(der, issuer.end, tbs.end, 0x30);
  const subject = validity && tlv(der, validity.end, tbs.end, 0x30);
  const spki = subject && tlv(der, subject.end, tbs.end, 0x30);
  if (!spki) return undefined;
  const keyAlg = tlv(der, spki.start, spki.end, 0x30);
  const bits = keyAlg && tlv(der, keyAlg.end, spki.end, 0x03);
  if (!bits || bits.end !== spki.end || bits.end - bits.start < 2 || der[bits.start] !== 0)
    return undefined;
  const keyAlgorithm = KEYS.get(der.toString('hex', spki.start, keyAlg.end));
  if (!keyAlgorithm) return undefined;
  // No issuerUniqueID/subjectUniqueID: the extensions follow and end the tbsCertificate.
  const exts = tlv(der, spki.end, tbs.end, 0xa3);
  if (!exts || exts.end !== tbs.end) return undefined;
  const list = tlv(der, exts.start, exts.end, 0x30);
  if (!list || list.end !== exts.end) return undefined;
  // Signature algorithm, issuer, validity, subject; the key's algorithm (not the SPKI header,
  // whose length follows the key); then each extension whole, the KeyDescription without its
  // value.
  let template =
    der.toString('latin1', serial.end, subject.end) +
    MARK +
    der.toString('latin1', spki.start, keyAlg.end);
  for (let p = list.start; p < list.end;) {
    const ext = tlv(der, p, list.end, 0x30);
    const id = ext && tlv(der, ext.start, ext.end, 0x06);
    if (!ext || !id) return undefined;
    const isKd =
      id.end - id.start === KD_OID.length && der.subarray(id.start, id.end).equals(KD_OID);
    if (isKd) {
      let v = header(der, id.end, ext.end);
      if (typeof v === 'string') return undefined;
      const critical = v.tag === 0x01 ? der.toString('latin1', id.end, v.end) : '';
      if (v.tag === 0x01) v = header(der, v.end, ext.end);
      if (typeof v === 'string' || v.tag !== 0x04 || v.end !== ext.end) return undefined;
      template += MARK + 'kd' + der.toString('latin1', ext.start, id.end) + critical;
    } else template += MARK + der.toString('latin1', p, ext.end);
    p = ext.end;
  }
  const serialStart = der[serial.start] === 0 ? serial.start + 1 : serial.start;
  return {
    template,
    signature,
    keyAlgorithm,
    serial: der.toString('hex', serialStart, serial.end),
    tbs: der.subarray(cert.start, tbs.end),
    key: der.subarray(bits.start + 1, bits.end),
    signatureValue: der.subarray(sig.start + 1, sig.end),
  };
}

/**
 * Whether OpenSSL decodes the public key: an uncompressed point on the curve
 * (`EC_POINT_oct2point`, as `o2i_ECPublicKey` does), or RSAPublicKey `{ n, e }` in DER
 * with positive integers (`d2i_RSAPublicKey` checks its structure only).
 */
function keyDecodes(a: KeyAlgorithm, key: Buffer): boolean {
  if (a.kind === 'ec') {
    if (key.length !== a.point || key[0] !== 0x04) return false;
    try {
      ECDH.convertKey(key, a.curve);
      return true;
    } catch {
      return false;
    }
  }
  const seq = tlv(key, 0, key.length, 0x30);
  if (!seq || seq.end !== key.length) return false;
  const n = tlv(key, seq.start, seq.end, 0x02);
  const e = n && tlv(key, n.end, seq.end, 0x02);
  return !!e && e.end === seq.end && positiveInteger(key, n) && positiveInteger(key, e);
}

/** `node:crypto` (OpenSSL's EVP_DigestVerify, as X509_verify) over the tbsCertificate bytes. */
function signatureVerifies(parts: LeafParts, key: KeyObject): boolean {
  try {
    return verifySignature(parts.signature.digest, parts.tbs, key, parts.signatureValue);
  } catch {
    return false;
  }
}

interface IssuerEntry {
  readonly key: KeyObject;
  readonly keyType: string;
  readonly templates: Map<string, LeafTemplate>;
}

const MAX_TEMPLATES = 256;
const byIssuer = new WeakMap<ParsedCertificate, IssuerEntry>();

function issuerEntry(issuer: ParsedCertificate): IssuerEntry {
  let e = byIssuer.get(issuer);
  if (!e) {
    const key = issuer.cert.publicKey;
    e = { key, keyType: key.asymmetricKeyType ?? 'unknown', templates: new Map() };
    byIssuer.set(issuer, e);
  }
  return e;
}

const asBuffer = (d: Uint8Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength);

let taken = 0;
/** Leaves taken by the component path since the start (tests show it is not vacuous). */
export const componentLeaves = (): number => taken;

/**
 * The leaf `der` checked by its components against `issuer` (the chain's next certificate,
 * parsed by OpenSSL), or undefined: then the caller parses it with OpenSSL and calls
 * `learnLeafTemplate`.
 */
export function componentLeaf(
  der: Uint8Array,
  issuer: ParsedCertificate,
): ComponentLeaf | undefined {
  if (!certificateCacheOn()) return undefined;
  try {
    return checkedLeaf(der, issuer);
  } catch {
    return undefined; // nothing here throws on any bytes; if it did, OpenSSL decides
  }
}

/** `componentLeaf`'s checks, in order of cost. */
function checkedLeaf(der: Uint8Array, issuer: ParsedCertificate): ComponentLeaf | undefined {
  const buf = asBuffer(der);
  if (buf.includes(PEM_MARKER)) return undefined;
  const parts = splitLeaf(buf);
  if (!parts) return undefined;
  const entry = issuerEntry(issuer);
  const t = entry.templates.get(parts.template);
  if (!t || entry.keyType !== parts.signature.key) return undefined;
  if (!keyDecodes(parts.keyAlgorithm, asBuffer(parts.key))) return undefined;
  if (!signatureVerifies(parts, entry.key)) return undefined;
  taken++;
  return {
    notBefore: t.notBefore,
    notAfter: t.notAfter,
    issued: { names: t.names, signature: true },
    summary: {
      subject: t.subject,
      issuer: t.issuer,
      serial: parts.serial,
      notBefore: new Date(t.notBefore).toISOString(),
      notAfter: new Date(t.notAfter).toISOString(),
      keyType: t.keyType,
    },
  };
}

/**
 * Records what OpenSSL made of the leaf `der` (parsed, checked against `issuer`) for its
 * template, when the leaf splits as the component path needs.
 */
export function learnLeafTemplate(
  der: Uint8Array,
  issuer: ParsedCertificate,
  leaf: ParsedCertificate,
  names: boolean,
): void {
  if (!certificateCacheOn()) return;
  const buf = asBuffer(der);
  if (buf.includes(PEM_MARKER)) return;
  const parts = splitLeaf(buf);
  if (!parts) return;
  const { templates } = issuerEntry(issuer);
  if (templates.size >= MAX_TEMPLATES) templates.clear();
  templates.set(parts.template, {
    subject: leaf.summary.subject,
    issuer: leaf.summary.issuer,
    keyType: leaf.summary.keyType,
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    names,
  });
}

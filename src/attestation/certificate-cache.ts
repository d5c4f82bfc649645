/**
 * Memo of the deterministic work on CA certificates (chain index 1 and up): OpenSSL parsing and
 * the check that one CA certificate issued and signed the next. Google's intermediates and
 * remotely provisioned CAs are shared by many devices, while every leaf is new, so only CA
 * certificates are kept (and a leaf is always checked afresh). A pure function of the bytes:
 * validity at the instant, trust anchors and revocation are checked on every call. Bounded:
 * cleared when full.
 */
import { X509Certificate as NodeCertificate } from 'node:crypto';
import type { CertificateSummary } from './attestation-types.js';

export interface ParsedCertificate {
  readonly cert: NodeCertificate;
  readonly summary: CertificateSummary;
  readonly notBefore: number;
  readonly notAfter: number;
}

const MAX_ENTRIES = 4096;
const parsed = new Map<string, ParsedCertificate>();
const issued = new Map<ParsedCertificate, WeakMap<ParsedCertificate, IssuedCheck>>();
let enabled = true;

export interface IssuedCheck {
  /** Issuer name (and key identifiers) match (OpenSSL `X509_check_issued`). */
  readonly names: boolean;
  readonly signature: boolean;
}

/**
 * Turns the memo on or off (benchmarks measure both), emptying it; off, the leaf is parsed by
 * OpenSSL too (`leaf-certificate.ts` memoises per CA certificate).
 */
export function setCertificateCache(on: boolean): void {
  enabled = on;
  parsed.clear();
  issued.clear();
}

/** Whether CA certificates (and leaf templates, `leaf-certificate.ts`) are memoised. */
export const certificateCacheOn = (): boolean => enabled;

function parse(der: Uint8Array): ParsedCertificate {
  const cert = new NodeCertificate(der);
  const notBefore = Date.parse(cert.validFrom);
  const notAfter = Date.parse(cert.validTo);
  return {
    cert,
    notBefore,
    notAfter,
    summary: {
      subject: cert.subject.replaceAll('\n', ', '),
      issuer: cert.issuer.replaceAll('\n', ', '),
      serial: cert.serialNumber.toLowerCase(),
      notBefore: new Date(notBefore).toISOString(),
      notAfter: new Date(notAfter).toISOString(),
      keyType: cert.publicKey.asymmetricKeyType ?? 'unknown',
    },
  };
}

/** The memo key of a certificate: its bytes as a one-byte-per-char string (cheaper than base64). */
const keyOf = (der: Uint8Array) =>
  Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');

/** Parses a certificate (throws on junk); CA certificates (`index >= 1`) are memoised. */
export function parsedCertificate(der: Uint8Array, index: number): ParsedCertificate {
  if (!enabled || index === 0) return parse(der);
  const k = keyOf(der);
  let p = parsed.get(k);
  if (!p) {
    if (parsed.size >= MAX_ENTRIES) parsed.clear();
    p = parse(der);
    parsed.set(k, p);
  }
  return p;
}

/**
 * Whether `issuer` issued and signed `child`; memoised when the child is a CA (`index >= 1`),
 * by the two memoised parses themselves: while the memo holds a certificate, its bytes always
 * give the same object, so the pair of objects stands for the pair of byte strings.
 */
export function issuedCheck(
  child: ParsedCertificate,
  issuer: ParsedCertificate,
  index: number,
): IssuedCheck {
  const run = (): IssuedCheck => ({
    names: child.cert.checkIssued(issuer.cert),
    signature: child.cert.verify(issuer.cert.publicKey),
  });
  if (!enabled || index === 0) return run();
  let byIssuer = issued.get(child);
  if (!byIssuer) {
    if (issued.size >= MAX_ENTRIES) issued.clear();
    byIssuer = new WeakMap();
    issued.set(child, byIssuer);
  }
  let r = byIssuer.get(issuer);
  if (!r) {
    r = run();
    byIssuer.set(issuer, r);
  }
  return r;
}

/**
 * Verifies an Android key attestation certificate chain (leaf first) at a given instant:
 * every signature (node:crypto, OpenSSL: the fast path), every certificate's validity at `at`,
 * issuer names and CA flags (RFC 5280 section 6.1), the last certificate's key (or its signer)
 * among the trust anchors, no serial on the revocation list, and the leaf's KeyDescription
 * extension (found by its DER headers, `der-extension.ts`, and parsed with the ASN.1 library,
 * `key-description.ts`). A leaf followed by its issuer is read by its components
 * (`leaf-certificate.ts`, decision 0004) when OpenSSL already read a leaf of that issuer with the
 * same shared parts; otherwise, or with `leafByOpenSsl`, OpenSSL parses it. Every problem found is
 * reported; nothing throws, whatever the bytes.
 */
import type {
  CertificateSummary,
  ChainProblem,
  ChainVerification,
  KeyDescriptionFields,
} from './attestation-types.js';
import {
  issuedCheck,
  parsedCertificate,
  type IssuedCheck,
  type ParsedCertificate,
} from './certificate-cache.js';
import { chainDers, type ChainInput } from './chain-input.js';
import { findExtension, oidContents } from './der-extension.js';
import { KEY_DESCRIPTION_OID, parseKeyDescription } from './key-description.js';
import { componentLeaf, learnLeafTemplate, type ComponentLeaf } from './leaf-certificate.js';
import { NO_REVOCATIONS, type RevocationList } from './revocation.js';
import { googleTrustAnchors, type TrustAnchor } from './trust-anchors.js';

export interface VerifyOptions {
  /** The instant certificates must be valid at (default: now). */
  readonly at?: Date;
  /** Trust anchor keys (default: Google's roots). */
  readonly anchors?: readonly TrustAnchor[];
  readonly revocations?: RevocationList;
  /** The challenge the CEIR issued (bytes); when given, it must equal attestationChallenge. */
  readonly challenge?: Uint8Array;
  /**
   * Parse the leaf with OpenSSL even when its components would do (`leaf-certificate.ts`): the
   * reference path, for the equivalence test and benchmarks. The result is the same.
   */
  readonly leafByOpenSsl?: boolean;
}

/** Chains longer than this are refused unread (Google's are 3-5 certificates). */
export const MAX_CHAIN_LENGTH = 10;

const KEY_DESCRIPTION_OID_DER = oidContents(KEY_DESCRIPTION_OID);

/**
 * The KeyDescription extension's value in the leaf, found by walking the DER headers of
 * tbsCertificate's extensions (`der-extension.ts`; decoding the whole leaf with the ASN.1
 * library cost half a millisecond). Undefined when absent; a text when the leaf's structure is
 * malformed.
 */
function leafExtension(der: Uint8Array): Uint8Array | undefined | string {
  const r = findExtension(der, KEY_DESCRIPTION_OID_DER);
  return typeof r === 'string' ? `leaf certificate does not decode: ${r}` : r;
}

/** Checks a chain; `problems` empty means valid. */
export function verifyChain(input: ChainInput, o: VerifyOptions = {}): ChainVerification {
  const at = o.at ?? new Date();
  const atMs = at.getTime();
  const atIso = Number.isFinite(atMs) ? at.toISOString() : String(at);
  const problems: ChainProblem[] = [];
  const result = (
    certificates: CertificateSummary[],
    anchor: string | null,
    kd: KeyDescriptionFields | null,
  ): ChainVerification => ({
    at: atIso,
    certificates,
    anchor,
    problems,
    keyDescription: kd,
  });
  let ders: Uint8Array[] | string;
  try {
    ders = chainDers(input);
  } catch (e) {
    ders = `unreadable input: ${(e as Error).message}`;
  }
  if (typeof ders === 'string') {
    problems.push({ code: 'unreadable', message: ders });
    return result([], null, null);
  }
  if (ders.length === 0 || ders.length > MAX_CHAIN_LENGTH) {
    problems.push({
      code: 'empty_chain',
      message: `a chain has 1-${MAX_CHAIN_LENGTH} certificates, this one ${ders.length}`,
    });
    return result([], null, null);
  }
  // CA certificates first: the leaf's component path needs its issuer parsed.
  const certs: (ParsedCertificate | ComponentLeaf | undefined)[] = [];
  const failures: ChainProblem[] = [];
  const parse = (i: number) => {
    try {
      certs[i] = parsedCertificate(ders[i]!, i); // reads the key and dates: may throw on junk
    } catch (e) {
      failures[i] = {
        code: 'certificate_malformed',
        certificate: i,
        message: `certificate ${i} does not decode: ${(e as Error).message}`,
      };
    }
  };
  for (let i = 1; i < ders.length; i++) parse(i);
  const issuer = certs[1] as ParsedCertificate | undefined;
  const leaf = issuer && !o.leafByOpenSsl ? componentLeaf(ders[0]!, issuer) : undefined;
  if (leaf) certs[0] = leaf;
  else parse(0);
  for (const f of failures) if (f) problems.push(f);
  if (problems.length > 0) return result([], null, null);
  const checked = certs as (ParsedCertificate | ComponentLeaf)[];
  const certificates = checked.map((c) => c.summary);
  try {
    return checkChain(ders, checked, certificates, o, atMs, atIso, problems, result);
  } catch (e) {
    problems.push({
      code: 'certificate_malformed',
      message: `chain check failed: ${(e as Error).message}`,
    });
    return result(certificates, null, null);
  }
}

/**
 * Whether `issuer` issued and signed certificate `i`: known already for a leaf checked by its
 * components; else OpenSSL's answer, which teaches the leaf's template to the component path.
 */
function issuedOf(
  c: ParsedCertificate | ComponentLeaf,
  issuer: ParsedCertificate,
  i: number,
  leafDer: Uint8Array | undefined,
): IssuedCheck {
  if (!('cert' in c)) return c.issued;
  const check = issuedCheck(c, issuer, i);
  // Only leaves the issuer signed teach a template: others cannot crowd out the real ones.
  if (i === 0 && leafDer && check.signature) learnLeafTemplate(leafDer, issuer, c, check.names);
  return check;
}

type ResultFn = (
  certificates: CertificateSummary[],
  anchor: string | null,
  kd: KeyDescriptionFields | null,
) => ChainVerification;

function checkChain(
  ders: readonly Uint8Array[],
  certs: readonly (ParsedCertificate | ComponentLeaf)[],
  certificates: CertificateSummary[],
  o: VerifyOptions,
  atMs: number,
  atIso: string,
  problems: ChainProblem[],
  result: ResultFn,
): ChainVerification {
  const anchors = o.anchors ?? googleTrustAnchors();
  const revocations = o.revocations ?? NO_REVOCATIONS;
  const last = certs.length - 1;
  // Only a leaf followed by its issuer is checked by its components: every certificate whose
  // key or CA flag is read here was parsed by OpenSSL.
  const parsed = (i: number): ParsedCertificate => {
    const c = certs[i]!;
    if (!('cert' in c)) throw new Error(`certificate ${i} was not parsed by OpenSSL`);
    return c;
  };
  // Keys of one type only: OpenSSL's EVP_PKEY_eq leaves "different key types" on its error
  // queue, which node then reported as the reason of the next certificate that does not decode.
  const lastKey = parsed(last).cert.publicKey;
  const anchorOfLast = anchors.find(
    (a) => a.key.asymmetricKeyType === lastKey.asymmetricKeyType && lastKey.equals(a.key),
  );
  let anchor: string | null = anchorOfLast?.name ?? null;
  for (const [i, c] of certs.entries()) {
    // The anchor's own certificate is the anchor: its key is trusted, not its dates.
    if (i === last && anchorOfLast) continue;
    const s = certificates[i]!;
    if (c.notBefore > atMs)
      problems.push({
        code: 'not_yet_valid',
        certificate: i,
        message: `certificate ${i} (${s.subject}) is valid from ${s.notBefore}, after ${atIso}`,
      });
    if (c.notAfter < atMs)
      problems.push({
        code: 'expired',
        certificate: i,
        message: `certificate ${i} (${s.subject}) expired ${s.notAfter}, before ${atIso}`,
      });
    if (i < last) {
      const issuer = parsed(i + 1);
      const check = issuedOf(c, issuer, i, o.leafByOpenSsl ? undefined : ders[0]);
      if (!issuer.cert.ca)
        problems.push({
          code: 'not_ca',
          certificate: i + 1,
          message: `certificate ${i + 1} signs certificate ${i} but is not a CA (basicConstraints)`,
        });
      if (!check.names)
        problems.push({
          code: 'issuer_mismatch',
          certificate: i,
          message: `certificate ${i}'s issuer (${s.issuer}) is not certificate ${i + 1} (${certificates[i + 1]!.subject})`,
        });
      if (!check.signature)
        problems.push({
          code: 'signature_invalid',
          certificate: i,
          message: `certificate ${i}'s signature does not verify with certificate ${i + 1}'s key`,
        });
    } else {
      const signer = anchors.find((a) => parsed(i).cert.verify(a.key));
      if (signer) anchor = signer.name;
      else
        problems.push({
          code: 'unknown_root',
          certificate: i,
          message: `certificate ${i} (${s.subject}) is neither a trust anchor's key nor signed by one`,
        });
    }
  }
  for (const [i, s] of certificates.entries()) {
    const r = revocations.revoked(s.serial);
    if (r)
      problems.push({
        code: 'revoked',
        certificate: i,
        message: `certificate ${i} serial ${s.serial} is revoked${r.reason ? ` (${r.reason})` : ''}`,
      });
  }
  const ext = leafExtension(ders[0]!);
  let kd: KeyDescriptionFields | null = null;
  if (ext === undefined)
    problems.push({
      code: 'extension_missing',
      certificate: 0,
      message: `the leaf has no KeyDescription extension (${KEY_DESCRIPTION_OID})`,
    });
  else if (typeof ext === 'string')
    problems.push({ code: 'extension_malformed', certificate: 0, message: ext });
  else {
    const p = parseKeyDescription(ext);
    if (p.kind === 'ok') kd = p.value;
    else problems.push({ code: 'extension_malformed', certificate: 0, message: p.message });
  }
  if (kd && o.challenge) {
    const want = Buffer.from(o.challenge).toString('hex');
    if (kd.challenge !== want)
      problems.push({
        code: 'challenge_mismatch',
        certificate: 0,
        message: 'attestationChallenge is not the challenge the CEIR issued',
      });
  }
  return result(certificates, anchor, kd);
}

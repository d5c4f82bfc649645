/**
 * Trust anchors as public keys (RFC 5280 section 6.1.1 (d): a trust anchor is a key and a name;
 * here the key alone, see `google-roots.ts`). A chain is anchored when its last certificate
 * carries an anchor's key, or is signed by one (the root left out of the chain).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { ceirError, ok, type CeirError, type Result } from '../core/errors.js';
import { GOOGLE_ROOT_KEYS } from './google-roots.js';

export interface TrustAnchor {
  /** A label for reports: the key type and the first bytes of its SPKI SHA-256. */
  readonly name: string;
  readonly key: KeyObject;
}

/** Anchors from SPKI PEM texts (or certificate PEMs: their public key is taken). */
export function trustAnchorsFromPem(
  pems: readonly string[],
  source = 'trust anchors',
): Result<TrustAnchor[], CeirError> {
  const out: TrustAnchor[] = [];
  for (const [i, pem] of pems.entries()) {
    try {
      const key = createPublicKey(pem);
      out.push({ name: `${key.asymmetricKeyType ?? 'key'}#${i}`, key });
    } catch (e) {
      return ceirError(
        'CEIR_ERR_CONFIG',
        `Cannot read trust anchor ${i + 1} of ${source}: ${(e as Error).message}`,
      );
    }
  }
  return ok(out);
}

let google: readonly TrustAnchor[] | undefined;

/** Google's RSA root key and EC "Key Attestation CA1" root key. */
export function googleTrustAnchors(): readonly TrustAnchor[] {
  if (!google) {
    const r = trustAnchorsFromPem(GOOGLE_ROOT_KEYS, 'Google roots');
    if (r.kind !== 'ok') throw new Error(r.message);
    google = r.value.map((a, i) => ({ ...a, name: i === 0 ? 'google-rsa-root' : 'google-ec-ca1' }));
  }
  return google;
}

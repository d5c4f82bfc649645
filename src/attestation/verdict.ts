/**
 * The verdict policy (issue 8): one verdict per attestation, with its reasons.
 *
 * - `invalid`: the chain or its extension is refused (bad signature, unknown root, revoked,
 *   expired at the instant, malformed or non-DER KeyDescription, challenge mismatch).
 * - `weak`: the chain is valid but the key is not protected by secure hardware
 *   (attestation or KeyMint security level SOFTWARE) or the device state is not trustworthy
 *   (no RootOfTrust in the hardware list, bootloader unlocked, verified boot state other than
 *   VERIFIED: SELF_SIGNED, UNVERIFIED or FAILED). A strict policy refuses it.
 * - `no_ids`: as `attested` but the hardware list carries no IMEI (neither tag 714 nor 723).
 * - `attested`: valid chain, hardware security level, locked bootloader, VERIFIED boot, IMEI.
 */
import { normaliseImei } from '../core/ids/index.js';
import type { AttestationVerdictName } from '../core/ports/attestation-store.js';
import type { ChainVerification, KeyDescriptionFields } from './attestation-types.js';

export type Verdict = AttestationVerdictName;

export interface AttestationPolicy {
  /** Refuse `weak` attestations (they are reported, never accepted). */
  readonly strict: boolean;
}

export const DEFAULT_POLICY: AttestationPolicy = Object.freeze({ strict: false });

export interface AttestationVerdict {
  readonly verdict: Verdict;
  /** Why the verdict is not `attested` (empty when it is). */
  readonly reasons: readonly string[];
  /** Whether the policy accepts it: `attested`, `no_ids`, and `weak` unless strict. */
  readonly accepted: boolean;
  /** The attested IMEIs (tags 714, 723) as 14-digit `imei_norm`s; empty unless valid. */
  readonly attestedImeis: readonly string[];
}

function weaknesses(kd: KeyDescriptionFields): string[] {
  const out: string[] = [];
  if (kd.attestationSecurityLevel === 'SOFTWARE') out.push('attestation security level SOFTWARE');
  if (kd.keyMintSecurityLevel === 'SOFTWARE') out.push('KeyMint security level SOFTWARE');
  const rot = kd.rootOfTrust;
  if (!rot || kd.rootOfTrustIn !== 'hardware') out.push('no RootOfTrust in the hardware list');
  else {
    if (!rot.deviceLocked) out.push('bootloader unlocked (deviceLocked false)');
    if (rot.verifiedBootState !== 'VERIFIED')
      out.push(`verified boot state ${rot.verifiedBootState}`);
  }
  return out;
}

/** The 14-digit `imei_norm` of an attested IMEI text, or undefined when it is not an IMEI. */
export function attestedImeiNorm(text: string | null): string | undefined {
  if (text === null || !/^[0-9]{14,16}$/.test(text)) return undefined;
  const n = normaliseImei(text);
  return n.kind === 'valid' ? n.norm : undefined;
}

/** Applies the policy to a chain verification. */
export function judge(
  v: ChainVerification,
  policy: AttestationPolicy = DEFAULT_POLICY,
): AttestationVerdict {
  const kd = v.keyDescription;
  if (v.problems.length > 0 || !kd)
    return {
      verdict: 'invalid',
      reasons: v.problems.map((p) => `${p.code}: ${p.message}`),
      accepted: false,
      attestedImeis: [],
    };
  const imeis = [kd.ids.imei, kd.ids.secondImei]
    .map(attestedImeiNorm)
    .filter((x): x is string => x !== undefined);
  const weak = weaknesses(kd);
  if (weak.length > 0)
    return {
      verdict: 'weak',
      reasons: policy.strict ? [...weak, 'refused by the strict policy'] : weak,
      accepted: !policy.strict,
      attestedImeis: [...new Set(imeis)],
    };
  if (imeis.length === 0)
    return {
      verdict: 'no_ids',
      reasons: [
        kd.ids.imei !== null || kd.ids.secondImei !== null
          ? 'the attested IMEI is not 14-16 digits'
          : 'no attested IMEI (tags 714, 723)',
      ],
      accepted: true,
      attestedImeis: [],
    };
  return { verdict: 'attested', reasons: [], accepted: true, attestedImeis: [...new Set(imeis)] };
}

/**
 * What the verifier reads from an Android key attestation: the parsed KeyDescription
 * (extension OID 1.3.6.1.4.1.11129.2.1.17, Android "Key and ID attestation" schema) and the
 * chain's problems. `kind`-tagged, plain data (JSON-printable: bytes as hex).
 */

/** KeyDescription `SecurityLevel`. */
export type SecurityLevelName = 'SOFTWARE' | 'TRUSTED_ENVIRONMENT' | 'STRONG_BOX';

/** RootOfTrust `VerifiedBootState`. */
export type VerifiedBootStateName = 'VERIFIED' | 'SELF_SIGNED' | 'UNVERIFIED' | 'FAILED';

export interface RootOfTrustFields {
  readonly verifiedBootKey: string;
  readonly deviceLocked: boolean;
  readonly verifiedBootState: VerifiedBootStateName;
  readonly verifiedBootHash: string | null;
}

/** The ID attestation fields (tags 710-717, 723), as the secure hardware sent them (ASCII). */
export interface AttestedIds {
  readonly brand: string | null;
  readonly device: string | null;
  readonly product: string | null;
  readonly serial: string | null;
  /** attestationIdImei, tag 714. */
  readonly imei: string | null;
  /** attestationIdSecondImei, tag 723. */
  readonly secondImei: string | null;
  /** attestationIdMeid, tag 715. */
  readonly meid: string | null;
  readonly manufacturer: string | null;
  readonly model: string | null;
}

export interface KeyDescriptionFields {
  readonly attestationVersion: number;
  readonly attestationSecurityLevel: SecurityLevelName;
  /** keymasterVersion (attestation versions 1-200) or keyMintVersion (300+). */
  readonly keyMintVersion: number;
  readonly keyMintSecurityLevel: SecurityLevelName;
  /** attestationChallenge, hex. */
  readonly challenge: string;
  readonly uniqueId: string;
  /** From hardwareEnforced (teeEnforced), else softwareEnforced; null when absent. */
  readonly rootOfTrust: RootOfTrustFields | null;
  readonly rootOfTrustIn: 'hardware' | 'software' | null;
  /** ID fields of hardwareEnforced: only those are attested by the secure hardware. */
  readonly ids: AttestedIds;
  /** ID fields found only in softwareEnforced (not attested; reported, never trusted). */
  readonly softwareIds: Partial<AttestedIds>;
  /** creationDateTime (tag 701), milliseconds since the epoch, from either list. */
  readonly creationDateTime: number | null;
  readonly osVersion: number | null;
  readonly osPatchLevel: number | null;
  readonly vendorPatchLevel: number | null;
  readonly bootPatchLevel: number | null;
  /** Package names of attestationApplicationId (tag 709), when it decodes. */
  readonly applicationPackages: readonly string[];
  /** The tag numbers of each list, in encoded order. */
  readonly softwareTags: readonly number[];
  readonly hardwareTags: readonly number[];
}

/** One reason a chain or its extension is refused (verdict `invalid`). */
export interface ChainProblem {
  readonly code:
    | 'unreadable'
    | 'empty_chain'
    | 'certificate_malformed'
    | 'not_yet_valid'
    | 'expired'
    | 'issuer_mismatch'
    | 'not_ca'
    | 'signature_invalid'
    | 'unknown_root'
    | 'revoked'
    | 'extension_missing'
    | 'extension_malformed'
    | 'challenge_mismatch';
  /** The certificate's index in the chain (0 = leaf), when one is at fault. */
  readonly certificate?: number;
  readonly message: string;
}

/** What a certificate of the chain looked like, for reports. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyType: string;
}

/** The outcome of chain verification, before policy. */
export interface ChainVerification {
  /** The instant validity was checked at (ISO). */
  readonly at: string;
  readonly certificates: readonly CertificateSummary[];
  /** Name of the trust anchor the chain ends at, or null. */
  readonly anchor: string | null;
  readonly problems: readonly ChainProblem[];
  readonly keyDescription: KeyDescriptionFields | null;
}

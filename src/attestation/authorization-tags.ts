/**
 * Keymaster/KeyMint tag numbers of the AuthorizationList fields (Android "Key and ID
 * attestation", schema of the KeyDescription extension), by the field names of
 * `@peculiar/asn1-android`'s `AuthorizationList`. DER encodes a SEQUENCE's fields in schema
 * order, which here is ascending tag order.
 */
export const AUTHORIZATION_TAGS: Readonly<Record<string, number>> = Object.freeze({
  purpose: 1,
  algorithm: 2,
  keySize: 3,
  digest: 5,
  padding: 6,
  ecCurve: 10,
  rsaPublicExponent: 200,
  mgfDigest: 203,
  rollbackResistance: 303,
  earlyBootOnly: 305,
  activeDateTime: 400,
  originationExpireDateTime: 401,
  usageExpireDateTime: 402,
  usageCountLimit: 405,
  noAuthRequired: 503,
  userAuthType: 504,
  authTimeout: 505,
  allowWhileOnBody: 506,
  trustedUserPresenceRequired: 507,
  trustedConfirmationRequired: 508,
  unlockedDeviceRequired: 509,
  allApplications: 600,
  applicationId: 601,
  creationDateTime: 701,
  origin: 702,
  rollbackResistant: 703,
  rootOfTrust: 704,
  osVersion: 705,
  osPatchLevel: 706,
  attestationApplicationId: 709,
  attestationIdBrand: 710,
  attestationIdDevice: 711,
  attestationIdProduct: 712,
  attestationIdSerial: 713,
  attestationIdImei: 714,
  attestationIdMeid: 715,
  attestationIdManufacturer: 716,
  attestationIdModel: 717,
  vendorPatchLevel: 718,
  bootPatchLevel: 719,
  deviceUniqueAttestation: 720,
  attestationIdSecondImei: 723,
  moduleHash: 724,
});

/** The ASN.1 type of a KeyDescription component, as `@peculiar/asn1-android` declares it. */
export type ComponentKind =
  'integer' | 'enumerated' | 'null' | 'octets' | 'integerSet' | 'rootOfTrust';

const KIND_OF: Readonly<Record<string, ComponentKind>> = {
  purpose: 'integerSet',
  digest: 'integerSet',
  padding: 'integerSet',
  mgfDigest: 'integerSet',
  rollbackResistance: 'null',
  earlyBootOnly: 'null',
  noAuthRequired: 'null',
  allowWhileOnBody: 'null',
  trustedUserPresenceRequired: 'null',
  trustedConfirmationRequired: 'null',
  unlockedDeviceRequired: 'null',
  allApplications: 'null',
  rollbackResistant: 'null',
  deviceUniqueAttestation: 'null',
  applicationId: 'octets',
  attestationApplicationId: 'octets',
  attestationIdBrand: 'octets',
  attestationIdDevice: 'octets',
  attestationIdProduct: 'octets',
  attestationIdSerial: 'octets',
  attestationIdImei: 'octets',
  attestationIdMeid: 'octets',
  attestationIdManufacturer: 'octets',
  attestationIdModel: 'octets',
  attestationIdSecondImei: 'octets',
  moduleHash: 'octets',
  rootOfTrust: 'rootOfTrust',
};

/**
 * Each AuthorizationList field by its tag: name and ASN.1 type (`INTEGER` unless listed above:
 * `SET OF INTEGER`, `NULL`, `OCTET STRING`, `RootOfTrust`), as the library's schema declares
 * them (checked against it by `key-description-equivalence.test.ts`).
 */
export const AUTHORIZATION_KINDS: ReadonlyMap<number, { name: string; kind: ComponentKind }> =
  new Map(
    Object.entries(AUTHORIZATION_TAGS).map(([name, tag]) => [
      tag,
      { name, kind: KIND_OF[name] ?? 'integer' },
    ]),
  );

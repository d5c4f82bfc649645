/**
 * Test fixtures: attestation chains made with the tests' own root (root -> intermediate -> leaf
 * carrying a KeyDescription built with `@peculiar/asn1-android`), RSA or EC, and knobs for every
 * failure the verifier must find. Not used by production code.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
import {
  AuthorizationList,
  IntegerSet,
  KeyDescription,
  RootOfTrust,
  SecurityLevel,
  VerifiedBootState,
} from '@peculiar/asn1-android';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as x509 from '@peculiar/x509';
import { KEY_DESCRIPTION_OID } from './key-description.js';
import type { TrustAnchor } from './trust-anchors.js';
import { createPublicKey } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as Parameters<typeof x509.cryptoProvider.set>[1]);

export type KeyKind = 'rsa' | 'ec';

const ALGS = {
  rsa: {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  },
  ec: { name: 'ECDSA', namedCurve: 'P-256' },
} as const;
const SIGN = { rsa: ALGS.rsa, ec: { name: 'ECDSA', hash: 'SHA-256' } } as const;

const keyCache = new Map<string, CryptoKeyPair>();

/** A key pair (`slot` distinguishes pairs of one kind; cached: RSA generation is slow). */
export async function keyPair(kind: KeyKind, slot = 0): Promise<CryptoKeyPair> {
  const k = `${kind}:${slot}`;
  let p = keyCache.get(k);
  if (!p) {
    p = (await webcrypto.subtle.generateKey(ALGS[kind], true, ['sign', 'verify'])) as CryptoKeyPair;
    keyCache.set(k, p);
  }
  return p;
}

export interface KeyDescriptionSpec {
  readonly attestationVersion?: number;
  readonly securityLevel?: SecurityLevel;
  readonly keyMintSecurityLevel?: SecurityLevel;
  readonly challenge?: Uint8Array;
  readonly deviceLocked?: boolean;
  readonly bootState?: VerifiedBootState;
  /** Omit the RootOfTrust. */
  readonly noRootOfTrust?: boolean;
  readonly imei?: string | null;
  readonly secondImei?: string;
  readonly meid?: string;
  readonly brand?: string;
  readonly device?: string;
  readonly product?: string;
  readonly serial?: string;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly creationDateTime?: number;
}

const os = (s: string) => new OctetString(Buffer.from(s, 'latin1'));

/** The DER of a KeyDescription; defaults: TEE, locked, VERIFIED, IMEI 35209900176148(1). */
export function keyDescriptionDer(s: KeyDescriptionSpec = {}): Uint8Array {
  const level = s.securityLevel ?? SecurityLevel.trustedEnvironment;
  const imei = s.imei === undefined ? '352099001761481' : s.imei;
  const hw = new AuthorizationList({
    purpose: new IntegerSet([2]),
    algorithm: 3,
    ...(s.noRootOfTrust
      ? {}
      : {
          rootOfTrust: new RootOfTrust({
            verifiedBootKey: new OctetString(new Uint8Array(32).fill(7)),
            deviceLocked: s.deviceLocked ?? true,
            verifiedBootState: s.bootState ?? VerifiedBootState.verified,
            verifiedBootHash: new OctetString(new Uint8Array(32).fill(9)),
          }),
        }),
    osVersion: 140000,
    osPatchLevel: 202510,
    ...(s.brand !== undefined ? { attestationIdBrand: os(s.brand) } : {}),
    ...(s.device !== undefined ? { attestationIdDevice: os(s.device) } : {}),
    ...(s.product !== undefined ? { attestationIdProduct: os(s.product) } : {}),
    ...(s.serial !== undefined ? { attestationIdSerial: os(s.serial) } : {}),
    ...(imei !== null ? { attestationIdImei: os(imei) } : {}),
    ...(s.meid !== undefined ? { attestationIdMeid: os(s.meid) } : {}),
    ...(s.manufacturer !== undefined ? { attestationIdManufacturer: os(s.manufacturer) } : {}),
    ...(s.model !== undefined ? { attestationIdModel: os(s.model) } : {}),
    vendorPatchLevel: 20251005,
    bootPatchLevel: 20251005,
    ...(s.secondImei !== undefined ? { attestationIdSecondImei: os(s.secondImei) } : {}),
  });
  const kd = new KeyDescription({
    attestationVersion: s.attestationVersion ?? 300,
    attestationSecurityLevel: level,
    keymasterVersion: s.attestationVersion ?? 300,
    keymasterSecurityLevel: s.keyMintSecurityLevel ?? level,
    attestationChallenge: new OctetString(s.challenge ?? Buffer.from('challenge')),
    uniqueId: new OctetString(),
    softwareEnforced: new AuthorizationList({
      creationDateTime: s.creationDateTime ?? Date.UTC(2026, 0, 15),
    }),
    teeEnforced: hw,
  });
  return new Uint8Array(AsnConvert.serialize(kd));
}

export interface ChainSpec {
  readonly kind?: KeyKind;
  readonly keyDescription?: KeyDescriptionSpec;
  /** No KeyDescription extension on the leaf. */
  readonly noExtension?: boolean;
  /** The leaf is signed by another key than the intermediate's. */
  readonly wrongSignature?: boolean;
  /** Intermediate validity (default 2020-01-01 .. 2030-01-01). */
  readonly intermediateNotAfter?: Date;
  /** Leave the root certificate out of the chain. */
  readonly omitRoot?: boolean;
  /** Intermediate serial, hex (default 0a11ce). */
  readonly intermediateSerial?: string;
  /** Leaf serial, hex (default 01). */
  readonly leafSerial?: string;
  /** Leaf validity (default 1970-01-01 .. 2048-01-01). */
  readonly leafNotBefore?: Date;
  readonly leafNotAfter?: Date;
  /** The issuer name written in the leaf (default: the intermediate's subject). */
  readonly leafIssuer?: string;
  /** The leaf carries an authority key identifier (of the intermediate's key, or `other`'s). */
  readonly leafAuthorityKeyId?: 'intermediate' | 'other';
  /** The leaf carries a critical keyUsage digitalSignature, as Android's do. */
  readonly leafKeyUsage?: boolean;
}

export interface TestChain {
  /** Leaf first. */
  readonly ders: Uint8Array[];
  readonly pem: string;
  readonly anchor: TrustAnchor;
  readonly rootPem: string;
}

/** A chain root -> intermediate -> leaf with the tests' own keys. */
export async function makeChain(spec: ChainSpec = {}): Promise<TestChain> {
  const kind = spec.kind ?? 'ec';
  const [root, inter, leaf, other] = await Promise.all([
    keyPair(kind, 0),
    keyPair(kind, 1),
    keyPair(kind, 2),
    keyPair(kind, 3),
  ]);
  const signingAlgorithm = SIGN[kind];
  const ca = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ];
  const rootCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Test Attestation Root',
    notBefore: new Date('2019-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
    keys: root,
    signingAlgorithm,
    extensions: ca,
  });
  const interCert = await x509.X509CertificateGenerator.create({
    serialNumber: spec.intermediateSerial ?? '0a11ce',
    subject: 'CN=Test Attestation Intermediate, O=TEE',
    issuer: rootCert.subject,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: spec.intermediateNotAfter ?? new Date('2030-01-01T00:00:00Z'),
    publicKey: inter.publicKey,
    signingKey: root.privateKey,
    signingAlgorithm,
    extensions: ca,
  });
  const leafExtensions: x509.Extension[] = [];
  if (spec.leafKeyUsage)
    leafExtensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
  if (!spec.noExtension)
    leafExtensions.push(
      new x509.Extension(KEY_DESCRIPTION_OID, false, keyDescriptionDer(spec.keyDescription)),
    );
  if (spec.leafAuthorityKeyId)
    leafExtensions.push(
      await x509.AuthorityKeyIdentifierExtension.create(
        spec.leafAuthorityKeyId === 'other' ? other.publicKey : inter.publicKey,
      ),
    );
  const leafCert = await x509.X509CertificateGenerator.create({
    serialNumber: spec.leafSerial ?? '01',
    subject: 'CN=Android Keystore Key',
    issuer: spec.leafIssuer ?? interCert.subject,
    notBefore: spec.leafNotBefore ?? new Date('1970-01-01T00:00:00Z'),
    notAfter: spec.leafNotAfter ?? new Date('2048-01-01T00:00:00Z'),
    publicKey: leaf.publicKey,
    signingKey: spec.wrongSignature ? other.privateKey : inter.privateKey,
    signingAlgorithm,
    extensions: leafExtensions,
  });
  const certs = spec.omitRoot ? [leafCert, interCert] : [leafCert, interCert, rootCert];
  const rootSpki = Buffer.from(await webcrypto.subtle.exportKey('spki', root.publicKey));
  return {
    ders: certs.map((c) => new Uint8Array(c.rawData)),
    pem: certs.map((c) => c.toString('pem')).join('\n'),
    anchor: {
      name: 'test-root',
      key: createPublicKey({ key: rootSpki, format: 'der', type: 'spki' }),
    },
    rootPem: rootCert.toString('pem'),
  };
}

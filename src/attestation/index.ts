export * from './attestation-types.js';
export { attest, type AttestationReport } from './attest.js';
export { chainDers, type ChainInput } from './chain-input.js';
export { GOOGLE_ROOT_KEYS } from './google-roots.js';
export { KEY_DESCRIPTION_OID, parseKeyDescription } from './key-description.js';
export {
  NO_REVOCATIONS,
  normaliseSerial,
  parseRevocationList,
  type RevocationList,
} from './revocation.js';
export { googleTrustAnchors, trustAnchorsFromPem, type TrustAnchor } from './trust-anchors.js';
export {
  attestedImeiNorm,
  DEFAULT_POLICY,
  judge,
  type AttestationPolicy,
  type AttestationVerdict,
  type Verdict,
} from './verdict.js';
export { MAX_CHAIN_LENGTH, verifyChain, type VerifyOptions } from './verify-chain.js';
export {
  AttestationService,
  type AttestationServiceOptions,
  type IssuedChallenge,
  type Submission,
  type SubmissionOutcome,
} from './attestation-service.js';

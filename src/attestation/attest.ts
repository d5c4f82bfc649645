/** One call: verify a chain at an instant and judge it by the policy. */
import type { ChainVerification } from './attestation-types.js';
import type { ChainInput } from './chain-input.js';
import { judge, type AttestationPolicy, type AttestationVerdict } from './verdict.js';
import { verifyChain, type VerifyOptions } from './verify-chain.js';

export interface AttestationReport extends AttestationVerdict {
  readonly verification: ChainVerification;
}

export function attest(
  input: ChainInput,
  options: VerifyOptions = {},
  policy?: AttestationPolicy,
): AttestationReport {
  const verification = verifyChain(input, options);
  return { ...judge(verification, policy), verification };
}

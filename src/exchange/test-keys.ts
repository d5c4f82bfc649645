/** Test support: Ed25519 signers and verifiers made with node:crypto (the apps wire listgen's). */
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { BatchSigner, BatchVerifier } from './batch-format.js';

export interface TestKey {
  readonly signer: BatchSigner;
  readonly verifier: BatchVerifier;
}

export function testKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha256')
    .update(der.subarray(der.length - 32))
    .digest('hex')
    .slice(0, 16);
  return {
    signer: { keyId, sign: (d) => sign(null, d, privateKey) },
    verifier: { keyId, verify: (d, s) => verify(null, d, publicKey, s) },
  };
}

/**
 * Composition of the attestation verifier from the `attestation:` config section: trust anchors
 * (Google's keys and the configured PEM files) and the revocation status list, read once.
 * Relative paths are resolved against the config file's folder.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AttestationConfig } from '../config/attestation-schema.js';
import {
  googleTrustAnchors,
  NO_REVOCATIONS,
  parseRevocationList,
  trustAnchorsFromPem,
  type AttestationPolicy,
  type RevocationList,
  type TrustAnchor,
} from '../attestation/index.js';
import { ceirError, ok, type Result } from '../core/errors.js';

export interface AttestationSetup {
  readonly anchors: readonly TrustAnchor[];
  readonly revocations: RevocationList;
  readonly policy: AttestationPolicy;
  readonly challengeTtlMs: number;
}

function readText(path: string, what: string): Result<string> {
  try {
    return ok(readFileSync(path, 'utf8'));
  } catch (e) {
    return ceirError('CEIR_ERR_INPUT_FILE', `Cannot read ${what}: ${(e as Error).message}`, {
      file: path,
    });
  }
}

/** The verifier's anchors, revocations and policy from the config section. */
export function attestationSetup(
  c: AttestationConfig,
  configPath: string,
): Result<AttestationSetup> {
  const base = dirname(resolve(configPath));
  const anchors: TrustAnchor[] = c.google_roots ? [...googleTrustAnchors()] : [];
  for (const f of c.trust_anchors) {
    const path = resolve(base, f);
    const text = readText(path, 'a trust anchor file');
    if (text.kind !== 'ok') return text;
    const blocks = text.value.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g) ?? [];
    const r = trustAnchorsFromPem(blocks, path);
    if (r.kind !== 'ok') return r;
    if (r.value.length === 0)
      return ceirError('CEIR_ERR_CONFIG', 'no PEM key or certificate in the file', { file: path });
    anchors.push(...r.value.map((a, i) => ({ ...a, name: `${path}#${i}` })));
  }
  let revocations = NO_REVOCATIONS;
  if (c.status_list !== null) {
    const path = resolve(base, c.status_list);
    const text = readText(path, 'the attestation status list');
    if (text.kind !== 'ok') return text;
    const r = parseRevocationList(text.value, path);
    if (r.kind !== 'ok') return r;
    revocations = r.value;
  }
  return ok({
    anchors,
    revocations,
    policy: { strict: c.strict },
    challengeTtlMs: c.challenge_ttl_seconds * 1000,
  });
}

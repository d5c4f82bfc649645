/**
 * `ceir attest <chain.pem> [--at <ISO time>] [--json]`: verifies an Android key attestation
 * chain (PEM, or one DER certificate) at an instant (default now) against the configured trust
 * anchors and status list, and prints the verdict, its reasons and every parsed field.
 * Exit 0 for an accepted verdict, CEIR_ERR_ATTESTATION's code for `invalid` (and `weak` under
 * the strict policy).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { attest } from '../../../attestation/index.js';
import { CeirFailure, ceirError, ErrorCatalogue } from '../../../core/errors.js';
import { attestationSetup } from '../../attestation-setup.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';

export interface AttestArgs {
  readonly at?: string;
}

const USAGE = 'ceir attest <chain.pem> [--at <ISO time>] [--json]';

export async function runAttest(
  ctx: CliContext,
  files: readonly string[],
  a: AttestArgs = {},
): Promise<number> {
  if (files.length !== 1) throw new UsageError(USAGE);
  const at = a.at === undefined ? new Date() : new Date(a.at);
  if (Number.isNaN(at.getTime()))
    throw new UsageError(`--at "${a.at}" is not an ISO date or time; ${USAGE}`);
  const path = resolve(files[0]!);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CeirFailure(
      ceirError('CEIR_ERR_INPUT_FILE', `Cannot read: ${(e as Error).message}`, { file: path }),
    );
  }
  const setup = attestationSetup(ctx.config.attestation, ctx.configPath);
  if (setup.kind !== 'ok') throw new CeirFailure(setup);
  const s = setup.value;
  const r = attest(
    new Uint8Array(bytes),
    { at, anchors: s.anchors, revocations: s.revocations },
    s.policy,
  );
  const v = r.verification;
  const kd = v.keyDescription;
  ctx.print({ file: path, ...r }, () => {
    const l = [`${path}: ${r.verdict.toUpperCase()}${r.accepted ? '' : ' (refused)'}`];
    for (const reason of r.reasons) l.push(`  reason       ${reason}`);
    l.push(`  checked at   ${v.at}; trust anchor ${v.anchor ?? 'none'}`);
    v.certificates.forEach((c, i) =>
      l.push(
        `  cert ${i}       ${c.subject} (serial ${c.serial}, ${c.keyType}, ${c.notBefore.slice(0, 10)}..${c.notAfter.slice(0, 10)})`,
      ),
    );
    if (kd) {
      l.push(
        `  attestation  version ${kd.attestationVersion}, ${kd.attestationSecurityLevel}; KeyMint ${kd.keyMintVersion}, ${kd.keyMintSecurityLevel}`,
        `  challenge    ${kd.challenge || '(empty)'}`,
      );
      const rot = kd.rootOfTrust;
      l.push(
        rot
          ? `  root trust   ${rot.verifiedBootState}, device ${rot.deviceLocked ? 'locked' : 'UNLOCKED'} (${kd.rootOfTrustIn} list)`
          : '  root trust   absent',
      );
      for (const [k, val] of Object.entries(kd.ids))
        if (val !== null) l.push(`  ${k.padEnd(12)} ${val}`);
      if (Object.values(kd.ids).every((x) => x === null)) l.push('  device IDs   none attested');
      if (kd.creationDateTime !== null)
        l.push(`  key created  ${new Date(kd.creationDateTime).toISOString()}`);
      l.push(
        `  os           version ${kd.osVersion ?? '-'}, patch ${kd.osPatchLevel ?? '-'}, vendor ${kd.vendorPatchLevel ?? '-'}, boot ${kd.bootPatchLevel ?? '-'}`,
      );
      if (kd.applicationPackages.length > 0)
        l.push(`  application  ${kd.applicationPackages.join(', ')}`);
    }
    return l;
  });
  return r.accepted ? 0 : ErrorCatalogue.CEIR_ERR_ATTESTATION.exit;
}

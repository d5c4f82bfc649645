/**
 * `ceir keys generate [--force]` creates the Ed25519 key pair that signs list manifests;
 * `ceir keys show` prints the public key (PEM) operators verify with, and its key id.
 */
import { CeirFailure } from '../../../core/errors.js';
import {
  generateListKeyPair,
  keyId,
  listKeyPaths,
  loadPublicKey,
  publicKeyPem,
  writeListKeyPair,
} from '../../../listgen/keys.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';

export interface KeysArgs {
  readonly force?: boolean;
}

export async function runKeys(
  ctx: CliContext,
  sub: string | undefined,
  a: KeysArgs = {},
): Promise<number> {
  const paths = listKeyPaths(ctx.dataDir);
  if (sub === 'generate') {
    const r = writeListKeyPair(paths, generateListKeyPair(), { force: Boolean(a.force) });
    if (r.kind !== 'ok') throw new CeirFailure(r);
    ctx.print({ key_id: r.value.keyId, ...paths }, () => [
      `generated list signing key ${r.value.keyId}`,
      `  private key  ${paths.privateKey} (mode 0600: keep it secret, back it up)`,
      `  public key   ${paths.publicKey} (give it to every operator: \`ceir keys show\`)`,
    ]);
    return 0;
  }
  if (sub === 'show') {
    const k = loadPublicKey(paths.publicKey);
    if (k.kind !== 'ok') throw new CeirFailure(k);
    const pem = publicKeyPem(k.value);
    ctx.print({ key_id: keyId(k.value), public_key_pem: pem, path: paths.publicKey }, () => [
      `# key id ${keyId(k.value)} (${paths.publicKey})`,
      pem.trimEnd(),
    ]);
    return 0;
  }
  throw new UsageError('ceir keys generate [--force] | ceir keys show');
}

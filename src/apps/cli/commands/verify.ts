/**
 * `ceir verify <dir> [--public-key <file>]`: checks a list directory as an operator receives it
 * (signature, every file's SHA-256, size and rows); lists every problem. The public key defaults to
 * `<data>/keys/lists-ed25519.pub.pem`.
 */
import { resolve } from 'node:path';
import { CeirFailure, ErrorCatalogue, formatError } from '../../../core/errors.js';
import { listKeyPaths, loadPublicKey } from '../../../listgen/keys.js';
import { verifyListDir } from '../../../listgen/verify-list-dir.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';

export interface VerifyArgs {
  readonly publicKey?: string;
}

export async function runVerify(
  ctx: CliContext,
  dirs: readonly string[],
  a: VerifyArgs = {},
): Promise<number> {
  if (dirs.length !== 1) throw new UsageError('ceir verify <dir> [--public-key <file>]');
  const dir = resolve(dirs[0]!);
  const keyPath = resolve(a.publicKey ?? listKeyPaths(ctx.dataDir).publicKey);
  const key = loadPublicKey(keyPath);
  if (key.kind !== 'ok') throw new CeirFailure(key);
  const r = await verifyListDir(dir, key.value);
  if (r.kind === 'ok') {
    const m = r.value.manifest;
    ctx.print({ valid: true, dir, public_key: keyPath, manifest: m }, () => [
      `${dir}: valid, signed by key ${m.key_id}`,
      `  ${m.country}, lists as of ${m.as_of}, run ${m.run}${m.base_run !== null ? ` (deltas against run ${m.base_run})` : ''}`,
      ...m.files.map((f) => `  ok  ${f.name}  ${f.rows} rows  sha256 ${f.sha256}`),
    ]);
    return 0;
  }
  ctx.print(
    {
      valid: false,
      dir,
      public_key: keyPath,
      problems: r.problems.map((p) => ({ ...p, text: formatError(p) })),
    },
    () => [`${dir}: INVALID, ${r.problems.length} problem(s)`],
  );
  for (const p of r.problems) ctx.io.err(`ceir: ${formatError(p)}`);
  return ErrorCatalogue[r.problems[0]!.code].exit;
}

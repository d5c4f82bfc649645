/**
 * `ceir listgen [--as-of YYYY-MM-DD] [--out dir] [--base-run N]`: derives the black list and the
 * per-operator notification and exception lists from the last classification, records them with
 * history, and writes full and delta files (CSV in zip) with a manifest signed by Ed25519.
 * The signing key is made on first use (`ceir keys generate` makes it explicitly).
 */
import { mkdirSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { ceirError, CeirFailure } from '../../../core/errors.js';
import type { GeneratedListKind, ListRun } from '../../../core/ports/classification-store.js';
import {
  generateListKeyPair,
  listFileName,
  listHeader,
  listKeyPaths,
  loadPrivateKey,
  manifestFile,
  writeListFile,
  writeListKeyPair,
  writeSignedManifest,
  type ListFileInfo,
  type ListFileKind,
  type ListForm,
} from '../../../listgen/index.js';
import type { CliContext } from '../cli-context.js';
import { formatCount, formatDuration } from '../progress.js';
import { checkDate } from './classify.js';
import { rulesInForce } from './rules-in-force.js';

export interface ListgenArgs {
  readonly asOf?: string;
  readonly out?: string;
  readonly baseRun?: string;
}

const FILE_KIND: Record<GeneratedListKind, ListFileKind> = {
  black: 'blacklist',
  notification: 'notifications',
  exception: 'exceptions',
};

async function* flatten(batches: AsyncIterable<string[][]>): AsyncGenerator<string[]> {
  for await (const b of batches) yield* b;
}

function signingKeys(ctx: CliContext) {
  const paths = listKeyPaths(ctx.dataDir);
  let priv = loadPrivateKey(paths.privateKey);
  if (priv.kind !== 'ok') {
    const made = writeListKeyPair(paths, generateListKeyPair());
    if (made.kind !== 'ok') throw new CeirFailure(made);
    ctx.io.err(`Made a list signing key ${made.value.keyId}: give operators ${paths.publicKey}`);
    priv = loadPrivateKey(paths.privateKey);
    if (priv.kind !== 'ok') throw new CeirFailure(priv);
  }
  return { privateKey: priv.value, publicKey: createPublicKey(priv.value) };
}

export async function listgenNow(ctx: CliContext, a: ListgenArgs) {
  const store = await ctx.openStore();
  const last = await store.lastClassificationRun();
  if (!last)
    throw new CeirFailure(
      ceirError('CEIR_ERR_NOT_FOUND', 'No classification yet: run `ceir classify` first'),
    );
  const asOf = checkDate('as-of', a.asOf) ?? last.asOf;
  const t0 = performance.now();
  const rules = await rulesInForce(ctx, store);
  const run: ListRun = await store.generateLists({
    asOf,
    deployment: ctx.config,
    conditions: rules.conditions,
    lookbackDays: ctx.config.lists.notification_lookback_days,
    amnesty: rules.amnesty,
  });
  const genMs = performance.now() - t0;
  const { dir, manifest } = await writeListRunFiles(ctx, run, a);
  return { run, dir, manifest, genMs, totalMs: performance.now() - t0 };
}

/**
 * Writes the files of a recorded list run (full, and delta from the base run) and the signed
 * manifest; writing them again gives the same lists (the pipeline resumes this way).
 */
export async function writeListRunFiles(ctx: CliContext, run: ListRun, a: ListgenArgs) {
  const store = await ctx.openStore();
  const asOf = run.asOf;
  const runs = await store.listRuns();
  const baseRun =
    a.baseRun !== undefined ? Number(a.baseRun) : runs.filter((r) => r.id < run.id).at(-1)?.id;
  if (baseRun !== undefined && !runs.some((r) => r.id === baseRun && r.id < run.id))
    throw new CeirFailure(
      ceirError('CEIR_ERR_USAGE', `--base-run ${a.baseRun}: no earlier list run with that id`),
    );
  const dir = a.out ?? join(ctx.dataDir, 'lists', `${asOf.replaceAll('-', '')}-run${run.id}`);
  mkdirSync(dir, { recursive: true });
  const files: ListFileInfo[] = [];
  const forms: ListForm[] = baseRun === undefined ? ['full'] : ['full', 'delta'];
  const targets: [GeneratedListKind, string | undefined][] = [
    ['black', undefined],
    ...ctx.config.operators.flatMap((o) => [
      ['notification', o.id] as [GeneratedListKind, string],
      ['exception', o.id] as [GeneratedListKind, string],
    ]),
  ];
  for (const [kind, operator] of targets)
    for (const form of forms) {
      const fileKind = FILE_KIND[kind];
      const rows = store.listRows({
        run: run.id,
        kind,
        ...(operator ? { operator } : {}),
        ...(form === 'delta' ? { baseRun: baseRun! } : {}),
      });
      files.push(
        await writeListFile({
          dir,
          name: listFileName(asOf, fileKind, form, operator),
          header: listHeader(fileKind, form),
          rows: flatten(rows),
        }),
      );
    }
  const { manifest } = writeSignedManifest(
    dir,
    {
      country: ctx.config.country.name,
      as_of: asOf,
      run: run.id,
      base_run: baseRun ?? null,
      files: files.map(manifestFile),
    },
    signingKeys(ctx),
  );
  return { dir, manifest };
}

export async function runListgen(ctx: CliContext, a: ListgenArgs): Promise<number> {
  const r = await listgenNow(ctx, a);
  ctx.print(r, () => [
    `list run ${r.run.id} as of ${r.run.asOf}: ${formatCount(r.run.counts.black)} black-listed IMEIs (lists derived in ${formatDuration(r.genMs)}, files written in ${formatDuration(r.totalMs - r.genMs)})`,
    ...Object.entries(r.run.counts.notification).map(
      ([op, n]) =>
        `  ${op.padEnd(12)} ${formatCount(n)} notifications, ${formatCount(r.run.counts.exception[op] ?? 0)} exceptions`,
    ),
    `files in ${r.dir} (signed manifest, key ${r.manifest.key_id}${r.manifest.base_run !== null ? `, deltas from run ${r.manifest.base_run}` : ''}):`,
    ...r.manifest.files.map(
      (f) =>
        `  ${f.name.padEnd(44)} ${formatCount(f.rows).padStart(10)} rows  sha256 ${f.sha256.slice(0, 16)}…`,
    ),
    `verify: npx ceir verify ${r.dir}`,
  ]);
  return 0;
}

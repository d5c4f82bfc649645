/** `ceir generate`: a seeded, reproducible synthetic national dataset with its ground truth. */
import { resolve } from 'node:path';
import { generateDataset, type GenerateSummary } from '../../generate/generate-dataset.js';
import type { CliContext } from '../cli-context.js';
import { ProgressBar, formatCount, formatDuration } from '../progress.js';
import { UsageError } from '../usage-error.js';

export interface GenerateArgs {
  readonly out?: string;
  readonly rows?: string;
  readonly seed?: string;
  readonly start?: string;
  readonly months?: string;
  readonly operators?: string;
  readonly compression?: string;
}

function int(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer in ${min}..${max}`);
  return n;
}

export async function generate(
  ctx: CliContext,
  a: GenerateArgs,
  quiet = false,
): Promise<GenerateSummary> {
  const compression = a.compression ?? 'plain';
  if (compression !== 'plain' && compression !== 'gzip' && compression !== 'zip')
    throw new UsageError('--compression must be plain, gzip or zip');
  if (a.start !== undefined && !/^\d{4}-\d{2}$/.test(a.start))
    throw new UsageError('--start must be YYYY-MM');
  const rows = int('rows', a.rows, 100_000, 1_000, 100_000_000);
  const operators = a.operators?.split(',').map((s) => s.trim());
  for (const op of operators ?? [])
    if (!ctx.config.operators.some((o) => o.id === op))
      throw new UsageError(`--operators: unknown operator "${op}"`);
  const bar = new ProgressBar(ctx.io, 'generating', quiet || ctx.json);
  const summary = await generateDataset({
    config: ctx.config,
    outDir: resolve(a.out ?? `${ctx.dataDir}/generated`),
    rows,
    seed: int('seed', a.seed, 1, 0, 2 ** 31 - 1),
    startMonth: a.start ?? '2026-01',
    months: int('months', a.months, 1, 1, 120),
    ...(operators ? { operators } : {}),
    compression,
    onProgress: (done, total) => bar.update({ rows: done, bytesRead: done, fileBytes: total }),
  });
  bar.done();
  return summary;
}

export async function runGenerate(ctx: CliContext, a: GenerateArgs): Promise<number> {
  const s = await generate(ctx, a);
  ctx.print(s, () => [
    `generated ${formatCount(s.rows)} operator rows for ${formatCount(s.devices)} devices in ${formatDuration(s.durationMs)}`,
    ...s.files.map(
      (f) => `  ${f.kind.padEnd(14)} ${formatCount(f.rows).padStart(12)} rows  ${f.path}`,
    ),
    `  ground truth   ${s.groundTruthPath}`,
  ]);
  return 0;
}

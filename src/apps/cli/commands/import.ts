/** `ceir import <source> <file...>`: imports files of one source, each landing whole or not at all. */
import { basename } from 'node:path';
import { ErrorCatalogue, formatError, type ErrorCode } from '../../../core/errors.js';
import { SOURCE_KINDS, type ListKind, type SourceKind } from '../../../core/ports/store.js';
import { importOperatorDump } from '../../../ingest/operator-dump/import-operator-dump.js';
import { importList } from '../../../ingest/lists/import-list.js';
import type { ImportOutcome } from '../../../ingest/outcome.js';
import { parseYmd } from '../../../ingest/operator-dump/dump-name.js';
import { GatesSchema } from '../../../config/schema.js';
import type { CliContext } from '../cli-context.js';
import { ProgressBar, formatCount, formatDuration } from '../progress.js';
import { UsageError } from '../usage-error.js';

export interface ImportArgs {
  readonly source: string;
  readonly files: readonly string[];
  readonly operator?: string;
  readonly period?: string;
  readonly delta?: boolean;
  readonly force?: boolean;
  /** Gate overrides, `name=value` (e.g. `null_imei_max=0.1`, `leading_zero_check=false`). */
  readonly gate?: readonly string[];
  /** One line per file, gates only when they failed (the demo). */
  readonly brief?: boolean;
}

function parsePeriod(p: string): { start: number; end: number } {
  const [a, b] = p.split(/[:_]/);
  const start = a ? parseYmd(a) : undefined;
  const end = b ? parseYmd(b) : undefined;
  if (start === undefined || end === undefined || end < start)
    throw new UsageError(`--period must be YYYYMMDD:YYYYMMDD (start:end), got "${p}"`);
  return { start, end };
}

export function parseGateOverrides(ctx: CliContext, overrides: readonly string[] = []) {
  const g: Record<string, unknown> = { ...ctx.config.gates };
  for (const o of overrides) {
    const [k, v] = o.split('=');
    if (!k || v === undefined || !(k in g))
      throw new UsageError(
        `--gate must be name=value with a gate of: ${Object.keys(g).join(', ')}`,
      );
    g[k] = v === 'true' ? true : v === 'false' ? false : Number(v);
  }
  const r = GatesSchema.safeParse(g);
  if (!r.success)
    throw new UsageError(
      `--gate: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

function summarise(file: string, o: ImportOutcome): string[] {
  const lines: string[] = [];
  const name = basename(file);
  if (o.kind === 'duplicate') {
    lines.push(
      `${name}: already imported on ${o.previous.finishedAt} (import ${o.previous.id}); nothing changed`,
    );
    return lines;
  }
  const gates = o.kind === 'imported' ? o.record.gates : o.gates;
  if (o.kind === 'imported') {
    const r = o.record;
    const rate = r.rows / Math.max(o.durationMs / 1000, 1e-3);
    lines.push(
      `${name}: imported ${formatCount(r.rows)} rows in ${formatDuration(o.durationMs)} (${formatCount(rate)} rows/s)`,
    );
    lines.push(
      `  ${Object.entries(o.counts)
        .map(([k, v]) => `${k} ${formatCount(v)}`)
        .join(', ')}`,
    );
  } else {
    lines.push(
      `${name}: REJECTED, nothing changed (${formatCount(o.rows)} rows read in ${formatDuration(o.durationMs)})`,
    );
    lines.push(`  ${formatError(o.error)}`);
  }
  if (gates.length > 0) {
    lines.push('  gates:');
    for (const g of gates) {
      const v = g.skipped
        ? `skipped (${g.skipped})`
        : `${g.value.toFixed(4)}  (${g.bound} ${g.limit})${g.detail ? `  ${g.detail}` : ''}`;
      lines.push(`    ${g.passed ? 'pass' : 'FAIL'} ${g.gate.padEnd(24)} ${v}`);
    }
  }
  return lines;
}

/** Returns the exit code: 0 when every file was imported or already present. */
export async function runImport(ctx: CliContext, a: ImportArgs): Promise<number> {
  return (await importFiles(ctx, a)).exit;
}

/** Imports the files; the exit code and how many landed (not rejected, not already present). */
export async function importFiles(
  ctx: CliContext,
  a: ImportArgs,
): Promise<{ exit: number; imported: number }> {
  if (!(SOURCE_KINDS as readonly string[]).includes(a.source))
    throw new UsageError(`Unknown source "${a.source}": one of ${SOURCE_KINDS.join(', ')}`);
  if (a.files.length === 0) throw new UsageError('ceir import <source> <file...>: no file given');
  const source = a.source as SourceKind;
  const gates = parseGateOverrides(ctx, a.gate);
  const period = a.period ? parsePeriod(a.period) : undefined;
  if (source !== 'operator' && (a.operator || a.period))
    throw new UsageError('--operator and --period apply to operator dumps only');
  const store = await ctx.openStore();
  let exit = 0;
  const results: unknown[] = [];
  for (const file of a.files) {
    const bar = new ProgressBar(ctx.io, `importing ${basename(file)}`, ctx.json);
    const onProgress = bar.update.bind(bar);
    const outcome =
      source === 'operator'
        ? await importOperatorDump(store, {
            file,
            ...(a.operator ? { operator: a.operator } : {}),
            ...(period ? { period } : {}),
            config: ctx.config,
            gates,
            spoolDir: ctx.spoolDir,
            onProgress,
          })
        : await importList(store, {
            list: source as ListKind,
            file,
            mode: a.delta ? 'delta' : 'full',
            force: Boolean(a.force),
            shrinkMinRatio: ctx.config.list_shrink_min_ratio,
            spoolDir: ctx.spoolDir,
            onProgress,
          });
    bar.done();
    if (outcome.kind === 'rejected' && exit === 0) exit = errorExit(outcome.error.code);
    results.push({ file, ...outcome });
    if (!ctx.json) {
      const lines = summarise(file, outcome);
      for (const l of a.brief && outcome.kind !== 'rejected' ? lines.slice(0, 1) : lines)
        ctx.io.out(l);
    }
  }
  if (ctx.json) ctx.io.out(JSON.stringify(results, null, 2));
  const imported = results.filter((r) => (r as { kind: string }).kind === 'imported').length;
  return { exit, imported };
}

function errorExit(code: ErrorCode): number {
  return ErrorCatalogue[code].exit;
}

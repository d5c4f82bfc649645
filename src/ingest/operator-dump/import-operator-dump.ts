/**
 * Imports one operator network dump: stream -> parse and validate -> aggregate into triplets ->
 * quality gates -> one atomic commit. A rejected file changes nothing; the same content imported
 * twice (SHA-256 of the decompressed bytes) is a no-op.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import type { DeploymentProfile as Config, QualityGates as Gates } from '../../core/deployment.js';
import { ceirError, type CeirError } from '../../core/errors.js';
import { addDays } from '../../core/rules/dates.js';
import type { DailyCounts, GateResult, Store } from '../../core/ports/store.js';
import { openInput } from '../input.js';
import type { ImportOutcome, ImportProgress } from '../outcome.js';
import { parseDumpName, ymdToIso } from './dump-name.js';
import { historyGates, rowGates } from './dump-gates.js';
import { ParallelDumpParse } from './parallel-parse.js';

export interface OperatorDumpOptions {
  readonly file: string;
  /** Overrides the operator in the file name. */
  readonly operator?: string;
  /** Overrides the period in the file name (YYYYMMDD numbers, inclusive). */
  readonly period?: { readonly start: number; readonly end: number };
  readonly config: Config;
  readonly gates: Gates;
  /** Directory for temporary spool files (removed afterwards). */
  readonly spoolDir: string;
  /**
   * log2 of the triplet table's maximum slots (default 24: 16M slots of 32 bytes, 512 MB at most;
   * partitions grow with the distinct triplets seen, so small files use little).
   */
  readonly tableLog2?: number;
  /** Parser threads (default 1; 2 for large files on machines with more than two cores). */
  readonly workers?: number;
  readonly onProgress?: (p: ImportProgress) => void;
}

const DEFAULT_TABLE_LOG2 = 24;

function removeStaleSpools(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir))
    if (name.startsWith('import-')) rmSync(join(dir, name), { recursive: true, force: true });
}

/**
 * One parser thread by default: the main thread reads, decompresses and hashes while it parses.
 * Two threads parse no faster end to end on two cores (the commit then merges twice the partial
 * triplets), measured in bench/RESULTS.md; more help on machines with more cores.
 */
function defaultWorkers(fileBytes: number): number {
  return fileBytes > 256 * 2 ** 20 && availableParallelism() > 2 ? 2 : 1;
}

export async function importOperatorDump(
  store: Store,
  o: OperatorDumpOptions,
): Promise<ImportOutcome> {
  const started = new Date();
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  const rejected = (
    error: CeirError,
    gates: readonly GateResult[] = [],
    rows = 0,
  ): ImportOutcome => ({
    kind: 'rejected',
    error,
    gates,
    rows,
    durationMs: elapsed(),
  });

  const name = parseDumpName(basename(o.file));
  const operatorId = o.operator ?? name?.operator;
  const period = o.period ?? (name ? { start: name.start, end: name.end } : undefined);
  if (!operatorId || !period)
    return rejected(
      ceirError(
        'CEIR_ERR_USAGE',
        'Cannot tell the operator and period: name the file <operator>_<YYYYMMDD>_<YYYYMMDD>.csv[.gz|.zip] or pass --operator and --period',
        { file: o.file },
      ),
    );
  const operator = o.config.operators.find((x) => x.id === operatorId);
  if (!operator)
    return rejected(
      ceirError(
        'CEIR_ERR_USAGE',
        `Unknown operator "${operatorId}": configured operators are ${o.config.operators.map((x) => x.id).join(', ')}`,
        { file: o.file },
      ),
    );

  // The store admits one writing process, so spool folders of earlier imports are leftovers of a
  // killed run: remove them.
  removeStaleSpools(o.spoolDir);
  const runDir = join(o.spoolDir, `import-${randomUUID()}`);
  mkdirSync(runDir, { recursive: true });
  let parse: ParallelDumpParse | undefined;
  try {
    let input;
    try {
      input = openInput(o.file);
    } catch (e) {
      return rejected(
        ceirError('CEIR_ERR_INPUT_FILE', `Cannot open: ${(e as Error).message}`, { file: o.file }),
      );
    }
    const workers = Math.max(1, o.workers ?? defaultWorkers(input.fileBytes));
    parse = new ParallelDumpParse({
      input,
      workers,
      data: {
        parser: {
          file: o.file,
          period,
          countryMccs: o.config.country.mcc,
          msisdnCountryCodes: o.config.country.msisdn_country_codes,
          operatorMccMncs: operator.mcc_mnc,
          keepOutsidePeriod: !o.gates.date_in_period,
        },
        tacBits: await store.tacBitmap(),
        // The memory budget is for all workers together: each gets its share of the slots.
        tableLog2: (o.tableLog2 ?? DEFAULT_TABLE_LOG2) - Math.ceil(Math.log2(workers)),
      },
      spoolPrefix: join(runDir, 'triplets'),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    let parsed;
    try {
      parsed = await parse.run();
    } catch (e) {
      return rejected(
        ceirError('CEIR_ERR_INPUT_FILE', `Cannot read: ${(e as Error).message}`, { file: o.file }),
      );
    }
    const c = parsed.counters;
    if (parsed.error) return rejected(parsed.error, [], c.rows);
    o.onProgress?.({ rows: c.rows, bytesRead: input.fileBytes, fileBytes: input.fileBytes });

    const sha256 = input.sha256();
    const previous = await store.findImportBySha256('operator', sha256);
    if (previous) return { kind: 'duplicate', previous, durationMs: elapsed() };

    const daily: DailyCounts[] = parsed.days
      .filter((d) => d.ymd >= period.start && d.ymd <= period.end)
      .map((d) => ({
        day: ymdToIso(d.ymd),
        imeis: d.imeis.count(),
        imsis: d.imsis.count(),
        msisdns: d.msisdns.count(),
      }));
    const history = await store.operatorDailyCounts(
      operator.id,
      addDays(ymdToIso(period.start), -o.gates.history_days),
      addDays(ymdToIso(period.start), -1),
    );
    const gates = [
      ...rowGates(c, o.gates, parsed.firstOutsidePeriodLine),
      ...historyGates(daily, history, o.gates),
    ];
    const failed = gates.filter((g) => !g.passed);
    if (failed.length > 0)
      return rejected(
        ceirError(
          'CEIR_ERR_GATE_FAILED',
          `File rejected by ${failed.length} quality gate(s): ${failed
            .map(
              (g) =>
                `${g.gate} measured ${fmt(g.value)} (${g.bound === 'max' ? 'at most' : 'at least'} ${fmt(g.limit)})${g.detail ? `; ${g.detail}` : ''}`,
            )
            .join('; ')}`,
          { file: o.file },
          failed[0]!.gate,
        ),
        gates,
        c.rows,
      );

    const readMs = elapsed();
    const spilled = await parse.spill();
    await parse.close(); // the workers' tables are freed before the commit
    const spillMs = elapsed() - readMs;
    const accepted = c.rows - c.nullImei;
    const record = {
      id: randomUUID(),
      source: 'operator' as const,
      file: o.file,
      sha256,
      mode: 'full' as const,
      operator: operator.id,
      periodStart: ymdToIso(period.start),
      periodEnd: ymdToIso(period.end),
      rows: c.rows,
      accepted,
      gates,
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
    };
    const commitStart = elapsed();
    await store.commitOperatorDump({ record, tripletSpools: spilled.spools, daily });
    const commitMs = elapsed() - commitStart;
    return {
      kind: 'imported',
      record,
      counts: {
        rows: c.rows,
        accepted,
        skipped_null_imei: c.nullImei,
        malformed_imei: c.uncleanImei,
        triplet_partials: spilled.spooledTriplets,
        days: daily.length,
        read_ms: Math.round(readMs),
        spill_ms: Math.round(spillMs),
        commit_ms: Math.round(commitMs),
      },
      durationMs: elapsed(),
    };
  } finally {
    await parse?.close();
    rmSync(runDir, { recursive: true, force: true });
  }
}

function fmt(v: number): string {
  return String(Number(v.toFixed(4)));
}

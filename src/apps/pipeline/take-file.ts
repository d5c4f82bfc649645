/**
 * One inbox file through the import (docs/operations.md "Daily pipeline"): recorded as taken,
 * imported by the ordinary import code (whole or nothing, idempotent by SHA-256), its final
 * state recorded with where it goes, then moved there: `<data>/pipeline/imported/<id>-<name>`,
 * or `<data>/pipeline/rejected/<id>-<name>` with `<id>-<name>.report.json` beside it. A crash
 * at any point is resumed by the next pass: a file still `importing` is imported again (a landed
 * import is then found by its SHA-256), a final one still in the inbox is moved.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatError } from '../../core/errors.js';
import type { PipelineFile, PipelineStore } from '../../core/ports/pipeline-store.js';
import type { ListKind, Store } from '../../core/ports/store.js';
import { importList } from '../../ingest/lists/import-list.js';
import { importOperatorDump } from '../../ingest/operator-dump/import-operator-dump.js';
import type { ImportOutcome } from '../../ingest/outcome.js';
import { ceirError } from '../../core/errors.js';
import type { CliContext } from '../cli/cli-context.js';
import type { InboxFile } from './inbox.js';
import type { PipelineEnv } from './pipeline-env.js';

export interface TakenFile {
  readonly record: PipelineFile;
  /** The file's recorded state, or moved (a recorded file's move finished). */
  readonly outcome: PipelineFile['state'] | 'moved';
}

function move(from: string, to: string): void {
  mkdirSync(join(to, '..'), { recursive: true });
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    copyFileSync(from, to);
    rmSync(from);
  }
}

async function importOne(ctx: CliContext, store: Store, f: InboxFile): Promise<ImportOutcome> {
  if (!f.source)
    return {
      kind: 'rejected',
      error: ceirError(
        'CEIR_ERR_INPUT_FILE',
        'The file name follows no convention: <operator>_<YYYYMMDD>_<YYYYMMDD>.csv[.gz|.zip] for a dump, <list>_list[_delta]*.csv for a list',
        { file: f.name },
      ),
      gates: [],
      rows: 0,
      durationMs: 0,
    };
  if (f.source === 'operator')
    return importOperatorDump(store, {
      file: f.path,
      config: ctx.config,
      gates: ctx.config.gates,
      spoolDir: ctx.spoolDir,
    });
  return importList(store, {
    list: f.source as ListKind,
    file: f.path,
    mode: f.mode,
    force: false,
    shrinkMinRatio: ctx.config.list_shrink_min_ratio,
    spoolDir: ctx.spoolDir,
  });
}

export async function takeFile(
  env: PipelineEnv,
  store: Store,
  ps: PipelineStore,
  f: InboxFile,
): Promise<TakenFile | undefined> {
  const { ctx, log, metrics } = env;
  const at = () => env.now().toISOString();
  const latest = await ps.latestFile(f.name);
  // A final record whose move did not happen (a crash right after recording it): move now.
  if (latest && latest.state !== 'importing' && latest.movedTo && !existsSync(latest.movedTo)) {
    move(f.path, latest.movedTo);
    if (f.marker) rmSync(f.marker, { force: true });
    return { record: latest, outcome: 'moved' };
  }
  const resumed = latest?.state === 'importing';
  const rec = resumed
    ? latest
    : await ps.beginFile(
        { name: f.name, source: f.source ?? 'unknown', operator: f.operator, day: f.day },
        at(),
      );
  const flog = log.child({ job_id: `file-${rec.id}`, file: f.name });
  flog.info({ source: f.source, operator: f.operator, day: f.day, resumed }, 'importing');
  const t0 = performance.now();
  const o = await importOne(ctx, store, f);
  const seconds = (performance.now() - t0) / 1000;
  const root = join(ctx.dataDir, 'pipeline');
  const label = f.source ?? 'unknown';
  if (o.kind === 'rejected') {
    const movedTo = join(root, 'rejected', `${rec.id}-${f.name}`);
    const report = `${movedTo}.report.json`;
    const error = formatError(o.error);
    mkdirSync(join(root, 'rejected'), { recursive: true });
    writeFileSync(
      report,
      `${JSON.stringify({ file: f.name, operator: f.operator, day: f.day, error: o.error, gates: o.gates, rows: o.rows, at: at() }, null, 2)}\n`,
    );
    await ps.finishFile(rec.id, { state: 'rejected', error, movedTo, rows: o.rows }, at());
    move(f.path, movedTo);
    if (f.marker) rmSync(f.marker, { force: true });
    metrics.files.add({ source: label, outcome: 'rejected' }, 1);
    for (const g of o.gates) if (!g.passed) metrics.gateFailures.add({ gate: g.gate }, 1);
    metrics.step('import', 'failed', seconds);
    flog.warn({ error: o.error, gates: o.gates.filter((g) => !g.passed) }, 'rejected');
    await env.notifier.notify({
      kind: 'file_rejected',
      operator: f.operator,
      file: f.name,
      error,
      movedTo,
      report,
      at: at(),
    });
    return { record: { ...rec, state: 'rejected', movedTo, error }, outcome: 'rejected' };
  }
  // A resumed file found already imported is the import this record started.
  const state = o.kind === 'imported' || resumed ? 'imported' : 'duplicate';
  const importId = o.kind === 'imported' ? o.record.id : o.previous.id;
  const rows = o.kind === 'imported' ? o.record.rows : o.previous.rows;
  const movedTo = join(root, 'imported', `${rec.id}-${f.name}`);
  await ps.finishFile(rec.id, { state, importId, rows, movedTo }, at());
  move(f.path, movedTo);
  if (f.marker) rmSync(f.marker, { force: true });
  metrics.files.add({ source: label, outcome: state }, 1);
  if (o.kind === 'imported')
    metrics.rowsImported.add({ source: label, operator: f.operator ?? '' }, rows);
  metrics.step('import', 'done', seconds);
  flog.info({ state, import_id: importId, rows, seconds }, state);
  return { record: { ...rec, state, importId, rows, movedTo }, outcome: state };
}

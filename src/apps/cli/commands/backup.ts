/**
 * `ceir backup <dir|file.duckdb>` and `ceir restore <file.duckdb> [--force]`
 * (docs/operations.md "Backup and restore"). Backup takes the store between the jobs of a running
 * `ceir serve` (which opens it only per job; it waits up to a minute for a busy store) and copies
 * it in one transaction. Restore checks the backup's SHA-256, schema version and row counts, then
 * puts it in place of the store, keeping the replaced file as `ceir.duckdb.before-restore-<time>`.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CeirFailure, ceirError } from '../../../core/errors.js';
import type { Store } from '../../../core/ports/store.js';
import {
  backupDatabase,
  inspectBackup,
  sha256File,
  type BackupManifest,
} from '../../../store/duckdb/backup.js';
import { DuckDb } from '../../../store/duckdb/duckdb-database.js';
import { DuckDbStore } from '../../../store/duckdb/duckdb-store.js';
import { LATEST_SCHEMA_VERSION } from '../../../store/duckdb/migrations.js';
import type { CliContext } from '../cli-context.js';
import { formatCount } from '../progress.js';
import { UsageError } from '../usage-error.js';

const BUSY_WAIT_MS = 60_000;

/** Opens the store, waiting while another process (serve's short jobs) holds it. */
async function openWaiting(ctx: CliContext): Promise<Store> {
  const until = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    try {
      return await ctx.openStore();
    } catch (e) {
      if (!(e instanceof CeirFailure && e.error.code === 'CEIR_ERR_BUSY') || Date.now() > until)
        throw e;
      await sleep(250);
    }
  }
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export async function runBackup(ctx: CliContext, target: string | undefined): Promise<number> {
  if (!target) throw new UsageError('ceir backup <dir|file.duckdb>');
  const file = resolve(
    target.endsWith('.duckdb') ? target : join(target, `ceir-backup-${stamp(new Date())}.duckdb`),
  );
  if (existsSync(file))
    throw new CeirFailure(ceirError('CEIR_ERR_USAGE', `${file} exists: backups never overwrite`));
  mkdirSync(dirname(file), { recursive: true });
  const store = await openWaiting(ctx);
  if (!(store instanceof DuckDbStore))
    throw new UsageError('ceir backup is for the embedded store: use pg_dump for PostgreSQL');
  const t0 = performance.now();
  const made = await backupDatabase(store.db, file);
  await ctx.close();
  const { sha256, bytes } = await sha256File(file);
  const manifest: BackupManifest = { ...made, sha256, bytes };
  writeFileSync(`${file}.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  const ms = performance.now() - t0;
  ctx.print({ file, manifest: `${file}.json`, ...manifest, durationMs: ms }, () => [
    `backup ${file} (${formatCount(bytes)} bytes, schema v${manifest.schema_version}, ${Object.keys(manifest.tables).length} tables, ${(ms / 1000).toFixed(1)} s)`,
    `  manifest ${file}.json, sha256 ${sha256}`,
    `restore: npx ceir restore ${file} --data <dir>`,
  ]);
  return 0;
}

function fail(message: string): never {
  throw new CeirFailure(ceirError('CEIR_ERR_INPUT_FILE', message));
}

export async function runRestore(
  ctx: CliContext,
  source: string | undefined,
  o: { force: boolean },
): Promise<number> {
  if (!source) throw new UsageError('ceir restore <file.duckdb> [--force]');
  const file = resolve(source);
  if (!existsSync(file)) fail(`${file}: no such backup`);
  if (!existsSync(`${file}.json`)) fail(`${file}.json: the backup's manifest is missing`);
  const manifest = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as BackupManifest;
  const { sha256 } = await sha256File(file);
  if (sha256 !== manifest.sha256)
    fail(`${file}: SHA-256 ${sha256} differs from the manifest's ${manifest.sha256}`);
  const checkDir = join(ctx.dataDir, 'tmp', `restore-check-${process.pid}`);
  const check = await DuckDb.open({ dataDir: checkDir, memoryLimit: '256MB', threads: 1 });
  let seen: Awaited<ReturnType<typeof inspectBackup>>;
  try {
    seen = await inspectBackup(check, file);
  } finally {
    check.close();
    rmSync(checkDir, { recursive: true, force: true });
  }
  if (seen.schemaVersion > LATEST_SCHEMA_VERSION)
    fail(
      `${file}: schema v${seen.schemaVersion} is newer than this release's v${LATEST_SCHEMA_VERSION}`,
    );
  if (JSON.stringify(seen.tables) !== JSON.stringify(manifest.tables))
    fail(`${file}: table row counts differ from the manifest`);
  const db = join(ctx.dataDir, 'ceir.duckdb');
  if (existsSync(db) && statSync(db).size > 0 && !o.force)
    throw new CeirFailure(
      ceirError(
        'CEIR_ERR_USAGE',
        `${db} exists: stop ceir serve, then rerun with --force to replace it`,
      ),
    );
  // Holding the file proves no other process has it now (serve opens it only per job).
  if (existsSync(db)) {
    const holder = await DuckDb.open({ dataDir: ctx.dataDir, memoryLimit: '256MB', threads: 1 });
    holder.close();
  }
  mkdirSync(ctx.dataDir, { recursive: true });
  const kept = `${db}.before-restore-${stamp(new Date())}`;
  if (existsSync(db)) renameSync(db, kept);
  if (existsSync(`${db}.wal`)) renameSync(`${db}.wal`, `${kept}.wal`);
  copyFileSync(file, `${db}.restoring`);
  renameSync(`${db}.restoring`, db);
  ctx.print({ restored: file, into: db, kept: existsSync(kept) ? kept : null, ...seen }, () => [
    `restored ${file} into ${db} (schema v${seen.schemaVersion}, ${Object.values(seen.tables).reduce((a, b) => a + b, 0)} rows in ${Object.keys(seen.tables).length} tables)`,
    ...(existsSync(kept) ? [`  the replaced store is kept as ${kept}`] : []),
    ...(seen.schemaVersion < LATEST_SCHEMA_VERSION
      ? ['  run `ceir db migrate` to bring it to this release']
      : []),
  ]);
  return 0;
}

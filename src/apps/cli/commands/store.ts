/**
 * `ceir store copy --from duckdb|postgres --to postgres|duckdb`: moves all data of one store into
 * the other (the DuckDB file under --data, the PostgreSQL database of store.url / CEIR_PG_URL),
 * then verifies every table's row count and checksum on both sides (`store/store-copy.ts`).
 * The target is migrated first and must be empty.
 */
import { join } from 'node:path';
import type { DuckDbStore } from '../../../store/duckdb/duckdb-store.js';
import type { PgStore } from '../../../store/postgres/pg-store.js';
import { copyStore, type CopyEnd } from '../../../store/store-copy.js';
import type { CliContext } from '../cli-context.js';
import { describeStore, openSelectedStore, selectStore } from '../store-selection.js';
import { UsageError } from '../usage-error.js';

const KINDS = ['duckdb', 'postgres'] as const;
type Kind = (typeof KINDS)[number];

async function openEnd(ctx: CliContext, kind: Kind): Promise<{ end: CopyEnd; label: string }> {
  const sel = selectStore(ctx.config.store, ctx.dataDir, { ...process.env, CEIR_STORE: kind });
  const store = await openSelectedStore(sel, ctx.config.store);
  await store.migrate();
  const end: CopyEnd =
    kind === 'duckdb' ? { kind, store: store as DuckDbStore } : { kind, store: store as PgStore };
  return { end, label: describeStore(sel) };
}

export async function runStore(
  ctx: CliContext,
  sub: string | undefined,
  a: { from?: string; to?: string },
): Promise<number> {
  const usage = 'ceir store copy --from duckdb|postgres --to postgres|duckdb';
  if (sub !== 'copy') throw new UsageError(usage);
  const from = a.from as Kind;
  const to = a.to as Kind;
  if (!KINDS.includes(from) || !KINDS.includes(to) || from === to) throw new UsageError(usage);
  const source = await openEnd(ctx, from);
  try {
    const target = await openEnd(ctx, to);
    try {
      const t0 = performance.now();
      const tables = await copyStore(
        source.end,
        target.end,
        join(ctx.dataDir, 'tmp', `store-copy-${process.pid}`),
        (l) => ctx.io.err(l),
      );
      const seconds = (performance.now() - t0) / 1000;
      ctx.print({ from: source.label, to: target.label, seconds, tables }, () => [
        `copied ${source.label} -> ${target.label} in ${seconds.toFixed(1)} s, verified:`,
        ...tables.map(
          (t) =>
            `  ${t.table.padEnd(28)} ${String(t.rows).padStart(12)} rows  checksum ${t.checksum}`,
        ),
      ]);
      return 0;
    } finally {
      await target.end.store.close();
    }
  } finally {
    await source.end.store.close();
  }
}

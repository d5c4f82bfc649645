/**
 * `ceir prune [--dry-run]`: drops what is past retention (config `retention:`): triplets,
 * daily counts and observations older than `triplet_months`; IMSI and MSISDN older than
 * `personal_data_months`; closed list and classification history older than
 * `list_history_months`; pipeline records older than `audit_months`. A dry run only counts.
 */
import { retentionStoreOf } from '../../pipeline/stores.js';
import { pruneNow } from '../../pipeline/prune-now.js';
import type { CliContext } from '../cli-context.js';
import { formatCount } from '../progress.js';

export async function runPrune(
  ctx: CliContext,
  o: { dryRun: boolean; now?: Date },
): Promise<number> {
  const store = await ctx.openStore();
  const r = await pruneNow(
    retentionStoreOf(store),
    ctx.config.retention,
    o.now ?? new Date(),
    o.dryRun,
  );
  ctx.print(r, () => [
    `${o.dryRun ? 'would remove (dry run, nothing changed)' : 'removed'}:`,
    ...r.tables.map(
      (t) =>
        `  ${t.table.padEnd(22)} ${(t.action === 'delete' ? 'rows deleted' : 'rows anonymised').padEnd(16)} ${formatCount(t.rows).padStart(10)}  (${t.rule})`,
    ),
  ]);
  return 0;
}

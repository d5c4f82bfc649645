/**
 * `ceir audit verify`: walks the audit log's hash chain (issue #5) and fails with
 * CEIR_ERR_AUDIT_BROKEN naming the first edited, inserted or deleted entry.
 * `ceir audit tail [--limit n]`: the latest entries.
 */
import { CeirFailure, ceirError } from '../../../core/errors.js';
import { DuckDbStore } from '../../../store/duckdb/duckdb-store.js';
import { DuckDbAuditLog } from '../../../store/duckdb/people-audit.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';

export async function runAudit(
  ctx: CliContext,
  sub: string | undefined,
  limit?: string,
): Promise<number> {
  const s = await ctx.openStore();
  if (!(s instanceof DuckDbStore)) throw new UsageError('ceir audit needs the DuckDB store');
  const log = new DuckDbAuditLog(s.db);
  if (sub === 'verify') {
    const v = await log.verify();
    if (v.kind === 'broken')
      throw new CeirFailure(
        ceirError(
          'CEIR_ERR_AUDIT_BROKEN',
          `The audit log does not verify at entry ${v.seq}: ${v.problem} (${v.entries} entries read)`,
        ),
      );
    ctx.print(v, () => [`audit log verified: ${v.entries} entries, head ${v.head}`]);
    return 0;
  }
  if (sub === 'tail') {
    const n = Number(limit ?? 20);
    if (!Number.isInteger(n) || n < 1) throw new UsageError('--limit must be a positive integer');
    const entries = await log.search({ limit: n });
    ctx.print(entries, () =>
      entries
        .reverse()
        .map(
          (e) =>
            `${e.seq}  ${e.at}  ${e.actor} (${e.role}) ${e.action} ${e.target} from ${e.source}: ${e.outcome}`,
        ),
    );
    return 0;
  }
  throw new UsageError('ceir audit verify | tail [--limit n]');
}

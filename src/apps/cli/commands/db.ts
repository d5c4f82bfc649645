/** `ceir db migrate` applies pending schema migrations; `ceir db status` shows the version. */
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../usage-error.js';
import { describeStore } from '../store-selection.js';

export async function runDb(ctx: CliContext, sub: string | undefined): Promise<number> {
  if (sub !== 'migrate' && sub !== 'status') throw new UsageError('ceir db migrate|status');
  const store = await ctx.openStore({ migrate: sub === 'migrate' });
  const status = await store.schemaStatus();
  const counts = await store.counts();
  ctx.print({ ...status, counts, dataDir: ctx.dataDir }, () => [
    `store       ${describeStore(ctx.storeSelection)}`,
    `schema      version ${status.current} of ${status.latest}${status.current === status.latest ? ' (up to date)' : ' (run `ceir db migrate`)'}`,
    ...status.applied.map((m) => `  v${m.version} ${m.name} (applied ${m.appliedAt})`),
    `contents    ${counts.triplets} triplets, ${counts.imeis} IMEIs seen, ${counts.imports} imports`,
    ...Object.entries(counts.lists).map(([k, v]) => `  list ${k}: ${v}`),
  ]);
  return 0;
}

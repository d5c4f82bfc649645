/** Retention cutoffs from the config and a clock, and the prune itself (`ceir prune`, pipeline). */
import type { RetentionConfig } from '../../config/operations-schema.js';
import type {
  PrunedTable,
  RetentionCutoffs,
  RetentionStore,
} from '../../core/ports/retention-store.js';

/** The first day of the month `months` calendar months before the month of `now` (UTC). */
export function monthsBefore(now: Date, months: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  return d.toISOString().slice(0, 10);
}

/**
 * Whole months are kept: with 24 months on 2026-11-29, months from 2024-11 on stay (the current
 * month and the 24 before it, so at least `months` full months).
 */
export function retentionCutoffs(r: RetentionConfig, now: Date): RetentionCutoffs {
  return {
    triplets: monthsBefore(now, r.triplet_months),
    personalData: monthsBefore(now, r.personal_data_months),
    listHistory: monthsBefore(now, r.list_history_months),
    audit: monthsBefore(now, r.audit_months),
  };
}

export async function pruneNow(
  store: RetentionStore,
  r: RetentionConfig,
  now: Date,
  dryRun: boolean,
): Promise<{ cutoffs: RetentionCutoffs; dryRun: boolean; tables: PrunedTable[] }> {
  const cutoffs = retentionCutoffs(r, now);
  return { cutoffs, dryRun, tables: await store.prune(cutoffs, dryRun) };
}

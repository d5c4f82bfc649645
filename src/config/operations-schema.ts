/**
 * Configuration of operations (issue 10): the daily pipeline, retention and health. Kept apart
 * from schema.ts so that file only gains one key per section.
 */
import { z } from 'zod';

/** The daily pipeline (docs/operations.md "Daily pipeline"). */
export const PipelineSchema = z
  .object({
    /** Folder operators drop their dumps into; null: `<data>/inbox`. */
    inbox: z.string().min(1).nullable().default(null),
    /**
     * Operators whose file for a day must be in before the day is classified; null: every
     * operator of `operators:`.
     */
    expected_operators: z.array(z.string().min(1)).nullable().default(null),
    /**
     * Hours after the end of a data day (UTC midnight) after which the day runs with whatever
     * arrived; files of the day arriving later are imported and count from the next run.
     */
    deadline_hours: z
      .number()
      .min(0)
      .max(24 * 60)
      .default(12),
    /**
     * A file without a `<name>.done` marker is taken once neither its size nor its modification
     * time changed for this many seconds.
     */
    stable_seconds: z.number().int().min(0).max(86_400).default(60),
    /** `ceir serve` runs the pipeline this often; 0: serve does not run it. */
    serve_interval_seconds: z.number().int().min(0).max(86_400).default(0),
    /** `ceir pipeline run` (without --once) runs a pass this often. */
    interval_seconds: z.number().int().min(1).max(86_400).default(60),
    /** Prune (retention) after each day's run. */
    prune: z.boolean().default(true),
  })
  .strict();

/** How long data is kept (docs/operations.md "Retention"). Months are calendar months. */
export const RetentionSchema = z
  .object({
    /** Monthly triplets (and daily counts, check observations) older than this are dropped. */
    triplet_months: z.number().int().min(1).max(1200).default(24),
    /** IMSI and MSISDN are removed from triplets and observations older than this. */
    personal_data_months: z.number().int().min(1).max(1200).default(6),
    /** Closed history of lists, generated lists and classification older than this goes. */
    list_history_months: z.number().int().min(1).max(1200).default(120),
    /** Pipeline file and step records older than this go (imports are kept: they dedupe). */
    audit_months: z.number().int().min(1).max(1200).default(120),
  })
  .strict()
  .refine((r) => r.personal_data_months <= r.triplet_months, {
    message: 'personal_data_months must not exceed triplet_months',
    path: ['personal_data_months'],
  })
  .refine((r) => r.list_history_months >= r.triplet_months, {
    message: 'list history is kept at least as long as triplets (>= triplet_months)',
    path: ['list_history_months'],
  });

/** Logs and health (docs/operations.md "Observability"). */
export const ObservabilitySchema = z
  .object({
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    /** `/health` answers 503 when the served snapshot is older than this; 0: never. */
    max_snapshot_age_hours: z
      .number()
      .min(0)
      .max(24 * 365)
      .default(36),
  })
  .strict();

export const PIPELINE_DEFAULTS = PipelineSchema.parse({});
export const RETENTION_DEFAULTS = RetentionSchema.parse({});
export const OBSERVABILITY_DEFAULTS = ObservabilitySchema.parse({});

export type PipelineConfig = z.infer<typeof PipelineSchema>;
export type RetentionConfig = z.infer<typeof RetentionSchema>;
export type ObservabilityConfig = z.infer<typeof ObservabilitySchema>;
